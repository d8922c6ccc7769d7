package io.stopplane.audit.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.status.InstanceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantsTest {

    @Test
    void everyInstantAsWrittenReadsBackAsTheJdkReadsIt() {
        Random random = new Random(20261127);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong() % 8_000_000_000L; // years 1970..2223
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(Math.abs(seconds), nanos);
            String text = instant.toString();
            assertThat(Instants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void anyOtherFormIsLeftToJackson() {
        assertThat(Instants.parse("2026-11-27T09:15:55+01:00")).isNull();
        assertThat(Instants.parse("2026-11-27T09:15:55.Z")).isNull();
        assertThat(Instants.parse("2026-11-27T09:15:55.1234567890Z")).isNull();
        assertThat(Instants.parse("2026-02-30T09:15:55Z")).isNull();
        assertThat(Instants.parse("2026-11-27T23:59:60Z")).isNull();
        assertThat(Instants.parse("2026-11-27 09:15:55Z")).isNull();
        assertThat(Instants.parse("+12026-11-27T09:15:55Z")).isNull();
    }

    @Test
    void eventsReadWithTheFastPathEqualTheProjectMappersAndOtherFormsStillRead() {
        InvocationEvent e = new InstanceStatusReported("e1", InvokeId.of("t-x1"),
                Instant.parse("2026-11-27T09:15:55.000000100Z"), InstanceId.of("i-x1"), InstanceStatus.RUNNING, null,
                null, null, null, 0);
        byte[] json = StopPlaneJson.mapper().writerFor(InvocationEvent.class).writeValueAsBytes(e);

        assertThat(EventLog.event(json)).isEqualTo(StopPlaneJson.mapper().readerFor(InvocationEvent.class)
                .readValue(json));
        String offset = new String(json, StandardCharsets.UTF_8).replace("2026-11-27T09:15:55.000000100Z",
                "2026-11-27T10:15:55.000000100+01:00");
        assertThat(EventLog.event(offset.getBytes(StandardCharsets.UTF_8)).occurredAt()).isEqualTo(e.occurredAt());
    }
}
