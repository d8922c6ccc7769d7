package io.stopplane.dispatcher;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The bytes (key and value) of every committed record of one invocation on a topic keyed by invokeId or
 * {@code invokeId/…}: what the fold wrote for it, read back from the broker.
 */
final class StateWrites {

    private final Map<String, Object> config;

    StateWrites(Map<String, Object> consumerConfig) {
        this.config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    long bytes(String topic, InvokeId invokeId) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long bytes = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (InvocationState.invokeIdOf(key).equals(invokeId.value())) {
                        bytes += r.key().length + (r.value() == null ? 0 : r.value().length);
                    }
                }
            }
            return bytes;
        }
    }
}
