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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * the index goes on without it.
 */
public class OutputStore implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);

    private final Map<String, Object> fetchConfig;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InstanceOutput.class);
    private final Map<String, long[]> positions = new ConcurrentHashMap<>();
    private final TopicFollower index;
    private KafkaConsumer<String, byte[]> fetcher;

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
        synchronized (this) {
            if (fetcher == null) {
                fetcher = new KafkaConsumer<>(fetchConfig, new StringDeserializer(), new ByteArrayDeserializer());
            }
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
        }
        LOG.warn("invokeId={} instanceId={} output not readable at {}", invokeId, instanceId, position[1]);
        return Optional.empty();
    }

    @Override
    public void start() {
        index.start();
    }

    @Override
    public void stop() {
        index.stop();
        synchronized (this) {
            if (fetcher != null) {
                fetcher.close(Duration.ofSeconds(2));
                fetcher = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return index.isRunning();
    }
}
