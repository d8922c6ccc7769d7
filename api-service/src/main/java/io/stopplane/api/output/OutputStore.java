package io.stopplane.api.output;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.kafka.DeadLetters;
import io.stopplane.model.kafka.TopicFollower;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
 * the index goes on without it. Reads run on a pool of {@value #FETCHERS} consumers, one per read at a time: that many
 * callers read at once, and a read that waits for its record holds up no other (a consumer is not thread-safe, and one
 * shared consumer made every Describe wait for the slowest read before it).
 */
public class OutputStore implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);
    /** Reads at once: the bound on the consumers (connections) this API instance opens for them. */
    static final int FETCHERS = 4;

    private final Map<String, Object> fetchConfig;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InstanceOutput.class);
    private final Map<String, long[]> positions = new ConcurrentHashMap<>();
    private final TopicFollower index;
    private final BlockingQueue<KafkaConsumer<String, byte[]>> idle = new LinkedBlockingQueue<>();
    private final List<KafkaConsumer<String, byte[]>> opened = new ArrayList<>();

    public OutputStore(Map<String, Object> consumerConfig, DeadLetters deadLetters, MeterRegistry meters) {
        Map<String, Object> config = TopicFollower.readerConfig(consumerConfig);
        // Fetches are for one record at a known offset: a fetch left in flight for the previous target's partition
        // would otherwise hold the next read for fetch.max.wait.ms (500 ms by default) per row.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.fetchConfig = config;
        this.index = new TopicFollower(Topics.INVOCATION_OUTPUTS.name(), consumerConfig, new TopicFollower.Table() {
            @Override
            public void put(ConsumerRecord<String, byte[]> r) {
                // read to check it, not kept: fetch() reads it again when asked
                reader.readValue(r.value());
                positions.put(r.key(), new long[] {r.partition(), r.offset()});
            }

            @Override
            public void remove(String key) {
                positions.remove(key);
            }
        }, deadLetters, meters);
    }

    /** The output of one target, read from the topic; empty if none was reported (yet). */
    public Optional<InstanceOutput> fetch(InvokeId invokeId, InstanceId instanceId) {
        long[] position = positions.get(InstanceOutput.key(invokeId, instanceId));
        if (position == null) {
            return Optional.empty();
        }
        TopicPartition tp = new TopicPartition(Topics.INVOCATION_OUTPUTS.name(), (int) position[0]);
        KafkaConsumer<String, byte[]> fetcher = borrow();
        try {
            fetcher.assign(List.of(tp));
            fetcher.seek(tp, position[1]);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : fetcher.poll(Duration.ofMillis(100))) {
                    if (r.offset() == position[1] && r.value() != null) {
                        return Optional.of(reader.readValue(r.value()));
                    }
                }
            }
        } finally {
            idle.add(fetcher);
        }
        LOG.warn("invokeId={} instanceId={} output not readable at {}", invokeId, instanceId, position[1]);
        return Optional.empty();
    }

    /** An idle consumer; a new one while fewer than {@value #FETCHERS} are open; else the next one returned. */
    private KafkaConsumer<String, byte[]> borrow() {
        KafkaConsumer<String, byte[]> fetcher = idle.poll();
        if (fetcher != null) {
            return fetcher;
        }
        synchronized (opened) {
            if (opened.size() < FETCHERS) {
                fetcher = new KafkaConsumer<>(fetchConfig, new StringDeserializer(), new ByteArrayDeserializer());
                opened.add(fetcher);
                return fetcher;
            }
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to read an output", e);
        }
    }

    @Override
    public void start() {
        index.start();
    }

    @Override
    public void stop() {
        index.stop();
        synchronized (opened) {
            opened.forEach(f -> f.close(Duration.ofSeconds(2)));
            opened.clear();
            idle.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return index.isRunning();
    }
}
