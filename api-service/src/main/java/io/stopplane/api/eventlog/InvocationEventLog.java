package io.stopplane.api.eventlog;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectReader;

/**
 * One invocation's events, read from {@code invocation-events} (the audit log) on demand. Kept cheap: only the
 * partition the invoke id is keyed to, only from the invocation's creation time on (found by the broker's time index),
 * at most {@value #MAX_SCANNED} records and {@value #MAX_MILLIS} ms a call, through one consumer that is assigned, not
 * subscribed (no group, nothing committed).
 */
public final class InvocationEventLog implements AutoCloseable {

    static final int MAX_SCANNED = 50_000;
    static final long MAX_MILLIS = 3_000;
    /** Producers stamp records with their own clock: start a little before the creation time. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(InvocationEventLog.class);
    private static final ObjectReader EVENTS = StopPlaneJson.mapper().readerFor(InvocationEvent.class);

    private final Map<String, Object> consumerProperties;
    private KafkaConsumer<byte[], byte[]> consumer;

    /** @param consumerProperties the service's consumer settings (bootstrap servers, security) */
    public InvocationEventLog(Map<String, Object> consumerProperties) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // the API writes its events in transactions: show only what was committed
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-event-log");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumerProperties = Map.copyOf(props);
    }

    /**
     * @param events in log order
     * @param truncated the scan stopped at its bound before the end of the log: later events may be missing
     */
    public record Result(List<InvocationEvent> events, boolean truncated) {
    }

    /** The events of {@code invokeId} from {@code createdAt} on (a consumer is not thread-safe: one call at a time). */
    public synchronized Result read(InvokeId invokeId, Instant createdAt) {
        KafkaConsumer<byte[], byte[]> c = consumer();
        String topic = Topics.INVOCATION_EVENTS.name();
        byte[] key = invokeId.value().getBytes(StandardCharsets.UTF_8);
        int partitions = c.partitionsFor(topic, Duration.ofMillis(MAX_MILLIS)).size();
        // the producers' default partitioner: murmur2 of the key
        TopicPartition tp = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions);
        c.assign(List.of(tp));
        long end = c.endOffsets(List.of(tp), Duration.ofMillis(MAX_MILLIS)).get(tp);
        OffsetAndTimestamp from = c.offsetsForTimes(
                Map.of(tp, createdAt.minus(CLOCK_SLACK).toEpochMilli()), Duration.ofMillis(MAX_MILLIS)).get(tp);
        long start = from == null ? end : from.offset();
        c.seek(tp, start);
        List<InvocationEvent> events = new ArrayList<>();
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        long scanned = 0;
        while (c.position(tp) < end && scanned < MAX_SCANNED && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end) {
                    break;
                }
                scanned++;
                if (r.key() != null && Arrays.equals(r.key(), key) && r.value() != null) {
                    parse(r).ifPresent(events::add);
                }
            }
        }
        boolean truncated = c.position(tp) < end;
        if (truncated) {
            LOG.info("invokeId={} timeline cut after {} records", invokeId.value(), scanned);
        }
        return new Result(List.copyOf(events), truncated);
    }

    private static Optional<InvocationEvent> parse(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Optional.of(EVENTS.readValue(r.value()));
        } catch (RuntimeException e) {
            // the dead-letter path has it already; a timeline shows what it can read
            LOG.warn("invocation-events {}-{} unreadable, left out of the timeline", r.partition(), r.offset());
            return Optional.empty();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(consumerProperties);
        }
        return consumer;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
