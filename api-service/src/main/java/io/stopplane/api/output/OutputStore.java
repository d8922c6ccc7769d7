package io.stopplane.api.output;

import io.stopplane.api.view.LatestPerKey;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.kafka.DeadLetters;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.ObjectReader;

/**
 * Outputs (up to 24 KB per target) stay out of the heap: this keeps only where each one is on the compacted
 * {@code invocation-outputs} topic, and reads it from there when a caller asks for output. Each record is read once
 * as it is indexed (only a key's last record per batch), so that one that cannot be read goes to
 * {@code invocation-outputs-dlt} and is counted ({@link DeadLetters}) instead of failing every later request for it;
 * the index goes on without it.
 */
public class OutputStore implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);

    private final Map<String, Object> consumerConfig;
    private final DeadLetters deadLetters;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InstanceOutput.class);
    private final Map<String, long[]> positions = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> follower;
    private KafkaConsumer<String, byte[]> fetcher;
    private Thread thread;

    public OutputStore(Map<String, Object> consumerConfig, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A metadata request must never create the topic: it would be created without compaction.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumerConfig = config;
    }

    /** The output of one target, read from the topic; empty if none was reported (yet). */
    public Optional<InstanceOutput> fetch(InvokeId invokeId, InstanceId instanceId) {
        long[] position = positions.get(InstanceOutput.key(invokeId, instanceId));
        if (position == null) {
            return Optional.empty();
        }
        TopicPartition tp = new TopicPartition(Topics.INVOCATION_OUTPUTS.name(), (int) position[0]);
        synchronized (this) {
            if (fetcher == null) {
                // A fetch left in flight for the previous target's partition would otherwise hold the next read for
                // fetch.max.wait.ms (500 ms by default) per row.
                Map<String, Object> config = new HashMap<>(consumerConfig);
                config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
                fetcher = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            }
            fetcher.assign(List.of(tp));
            fetcher.seek(tp, position[1]);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : fetcher.poll(Duration.ofMillis(100))) {
                    if (r.offset() == position[1] && r.value() != null) {
                        return Optional.of(StopPlaneJson.mapper().readValue(r.value(), InstanceOutput.class));
                    }
                }
            }
        }
        LOG.warn("invokeId={} instanceId={} output not readable at {}", invokeId, instanceId, position[1]);
        return Optional.empty();
    }

    @Override
    public void start() {
        follower = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        running.set(true);
        thread = new Thread(this::follow, "invocation-outputs-index");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            follower.assign(partitions);
            follower.seekToBeginning(partitions);
            while (running.get()) {
                index(follower.poll(Duration.ofMillis(500)));
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("invocation-outputs index failed", e);
        } finally {
            follower.close(Duration.ofSeconds(2));
        }
    }

    private void index(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : LatestPerKey.of(records)) {
            if (r.value() == null) {
                positions.remove(r.key());
                continue;
            }
            try {
                // read to check it, not kept: fetch() reads it again when asked
                reader.readValue(r.value());
                positions.put(r.key(), new long[] {r.partition(), r.offset()});
            } catch (RuntimeException e) {
                deadLetters.send(DeadLetters.raw(r), e);
            }
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running.get()) {
            List<PartitionInfo> infos = follower.partitionsFor(Topics.INVOCATION_OUTPUTS.name(), Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            LOG.info("waiting for topic {}", Topics.INVOCATION_OUTPUTS.name());
            try {
                Thread.sleep(1000); // a missing topic answers at once: look again in a second, not in a tight loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new WakeupException();
    }

    @Override
    public void stop() {
        running.set(false);
        KafkaConsumer<String, byte[]> f = follower;
        if (f != null) {
            f.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (fetcher != null) {
                fetcher.close(Duration.ofSeconds(2));
                fetcher = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }
}
