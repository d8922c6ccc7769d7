package io.stopplane.audit.dlt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record on a dead-letter topic, with what spring-kafka's {@code DeadLetterPublishingRecoverer} says about it in its
 * {@code kafka_dlt-*} headers: where it came from, which consumer group gave up on it, and why.
 */
record DeadLetter(String topic, int partition, long offset, Instant time, String key, String value,
        String originalTopic, Integer originalPartition, Long originalOffset, Instant originalTime,
        String consumerGroup, String exception, String exceptionMessage, String cause) {

    static final String PREFIX = "kafka_dlt-";

    static DeadLetter of(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        Long originalTimestamp = number(h, PREFIX + "original-timestamp");
        String exception = text(h, PREFIX + "exception-fqcn");
        String message = text(h, PREFIX + "exception-message");
        if (exception == null) {
            // a key that could not be deserialized
            exception = text(h, PREFIX + "key-exception-fqcn");
            message = text(h, PREFIX + "key-exception-message");
        }
        Long partition = number(h, PREFIX + "original-partition");
        return new DeadLetter(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), r.key(),
                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                text(h, PREFIX + "original-topic"), partition == null ? null : partition.intValue(),
                number(h, PREFIX + "original-offset"),
                originalTimestamp == null ? null : Instant.ofEpochMilli(originalTimestamp),
                text(h, PREFIX + "original-consumer-group"), exception, message,
                text(h, PREFIX + "exception-cause-fqcn"));
    }

    static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** spring-kafka writes partitions as 4-byte and offsets and times as 8-byte big-endian numbers. */
    static Long number(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return null;
        }
        byte[] v = h.value();
        if (v.length == Integer.BYTES) {
            return (long) ByteBuffer.wrap(v).getInt();
        }
        if (v.length == Long.BYTES) {
            return ByteBuffer.wrap(v).getLong();
        }
        try {
            return Long.parseLong(new String(v, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String origin() {
        return originalTopic == null ? "-"
                : originalTopic + "-" + (originalPartition == null ? "?" : originalPartition) + "@"
                        + (originalOffset == null ? "?" : originalOffset);
    }
}
