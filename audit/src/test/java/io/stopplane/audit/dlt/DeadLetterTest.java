package io.stopplane.audit.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void theSpringKafkaHeadersAreDecodedNumbersAsTheyAreWritten() {
        RecordHeaders h = new RecordHeaders();
        h.add("kafka_dlt-original-topic", bytes("invocation-events"));
        h.add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(2).array());
        h.add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(1234L).array());
        h.add("kafka_dlt-original-timestamp", ByteBuffer.allocate(8).putLong(1_700_000_000_000L).array());
        h.add("kafka_dlt-original-consumer-group", bytes("stopplane-dispatcher"));
        h.add("kafka_dlt-exception-fqcn", bytes("org.apache.kafka.common.errors.SerializationException"));
        h.add("kafka_dlt-exception-message", bytes("Unrecognized token 'x'\n at [Source: ...]"));
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("invocation-events-dlt", 2, 7, 1_700_000_001_000L,
                TimestampType.CREATE_TIME, 0, 1, "t-x", bytes("x"), h,
                Optional.empty());

        DeadLetter d = DeadLetter.of(r);

        assertThat(d.origin()).isEqualTo("invocation-events-2@1234");
        assertThat(d.originalTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(d.consumerGroup()).isEqualTo("stopplane-dispatcher");
        assertThat(d.exception()).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(DltCommand.preview(d.exceptionMessage())).isEqualTo("Unrecognized token 'x'");
        assertThat(d.time()).isEqualTo(Instant.ofEpochMilli(1_700_000_001_000L));
    }

    @Test
    void aKeyThatCouldNotBeReadIsShownWithItsOwnException() {
        RecordHeaders h = new RecordHeaders();
        h.add("kafka_dlt-key-exception-fqcn", bytes("java.lang.IllegalStateException"));
        h.add("kafka_dlt-original-offset", bytes("99"));

        DeadLetter d = DeadLetter.of(new ConsumerRecord<>("x-dlt", 0, 0, 0L,
                TimestampType.CREATE_TIME, 0, 0, null, null, h,
                Optional.empty()));

        assertThat(d.exception()).isEqualTo("java.lang.IllegalStateException");
        assertThat(d.originalOffset()).isEqualTo(99L);
        assertThat(d.origin()).isEqualTo("-");
        assertThat(d.value()).isNull();
    }

    @Test
    void previewsAreOneShortLineOfPrintableText() {
        assertThat(DltCommand.preview("a\u0001b")).isEqualTo("a?b");
        assertThat(DltCommand.preview("x".repeat(200))).hasSize(80).endsWith("...");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
