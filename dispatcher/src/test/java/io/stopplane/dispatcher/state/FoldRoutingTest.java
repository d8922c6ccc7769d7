package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.status.InstanceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fold's routing, each kind of record to its own sink: a state to {@code invocation-state}, a reported output to
 * {@code invocation-outputs} (never inside the state), a fired timer back onto {@code invocation-events}; each with its
 * CloudEvents type. The timers run on the driver's wall clock, moved by the test, with the deadlines configured here.
 */
class FoldRoutingTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final InstanceId A = InstanceId.of("i-route0001");

    private FoldDriver fold;
    private TestOutputTopic<String, String> states;
    private TestOutputTopic<String, InstanceOutput> outputs;
    private TestOutputTopic<String, InvocationEvent> timers;

    @BeforeEach
    void start() {
        fold = new FoldDriver(FoldDriver.deadlines(DELIVERY, Duration.ofDays(30)), A);
        states = fold.states;
        outputs = fold.outputs;
        timers = fold.timers;
    }

    @AfterEach
    void stop() {
        fold.close();
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void statesOutputsAndTimersEachGoToTheirOwnTopic() {
        fold.create("t-route0001");
        fold.report("t-route0001", InstanceStatus.RUNNING, null);
        fold.report("t-route0001", InstanceStatus.SUCCESS, "hello");

        List<TestRecord<String, String>> written = states.readRecordsToList();
        String target = InvocationState.targetKey(InvokeId.of("t-route0001"), A);
        assertThat(written).as("the state as created, then a record of the target each report changed")
                .extracting(TestRecord::getKey).containsExactly("t-route0001", target, target);
        InvocationState created = StopPlaneJson.mapper().readValue(written.get(0).getValue(), InvocationState.class);
        InvocationTarget running = StopPlaneJson.mapper().readValue(written.get(1).getValue(), InvocationTarget.class);
        InvocationTarget done = StopPlaneJson.mapper().readValue(written.get(2).getValue(), InvocationTarget.class);
        assertThat(List.of(created.version(), running.version(), done.version())).containsExactly(1L, 2L, 3L);
        assertThat(written).extracting(r -> header(r, "ce_id"))
                .containsExactly("t-route0001/1", target + "/2", target + "/3");
        assertThat(done.instance().status()).isEqualTo(InstanceStatus.SUCCESS);
        assertThat(done.instance().output()).as("outputs travel apart from the state").isNull();
        assertThat(created.with(running).with(done).instances()).containsExactly(done.instance());
        assertThat(header(written.get(0), "ce_type")).endsWith("state.InvocationState");
        assertThat(header(written.get(2), "ce_type")).endsWith("state.InvocationTarget");

        List<TestRecord<String, InstanceOutput>> reported = outputs.readRecordsToList();
        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(InstanceOutput.key(InvokeId.of("t-route0001"), A));
            assertThat(r.getValue().output()).isEqualTo("hello");
            assertThat(header(r, "ce_type")).endsWith("output.InstanceOutput");
        });
        assertThat(timers.isEmpty()).as("no timer for a finished run").isTrue();
    }

    @Test
    void aRunNotPickedUpWithinTheDeliveryTimeoutFiresOneTimerEventOntoTheEventTopic() {
        fold.create("t-late0001");
        states.readRecordsToList();

        fold.driver.advanceWallClockTime(DELIVERY.minusSeconds(5));
        assertThat(timers.isEmpty()).as("not yet due").isTrue();

        fold.driver.advanceWallClockTime(Duration.ofSeconds(10));
        List<TestRecord<String, InvocationEvent>> fired = timers.readRecordsToList();
        assertThat(fired).singleElement().satisfies(r -> {
            assertThat(r.getKey()).isEqualTo("t-late0001");
            assertThat(r.getValue()).isInstanceOfSatisfying(TimeoutDetected.class, t -> {
                assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.DELIVERY);
                assertThat(t.instanceId()).isEqualTo(A);
            });
            assertThat(header(r, "ce_type")).endsWith("TimeoutDetected");
        });
        assertThat(outputs.isEmpty()).isTrue();

        fold.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(timers.isEmpty()).as("a timer fires once").isTrue();
    }
}
