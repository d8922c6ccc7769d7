package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
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
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static final InstanceId A = InstanceId.of("i-route0001");

    private TopologyTestDriver driver;
    private TestInputTopic<String, InvocationEvent> events;
    private TestOutputTopic<String, InvocationState> states;
    private TestOutputTopic<String, InstanceOutput> outputs;
    private TestOutputTopic<String, InvocationEvent> timers;

    @BeforeEach
    void start() {
        TimerProperties props = new TimerProperties(DELIVERY, Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(30));
        Topology topology = FoldTopology.fold(new Topology(), props, new FoldMetrics(new SimpleMeterRegistry()),
                id -> null);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "routing-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        driver = new TopologyTestDriver(topology, config, T0);
        events = driver.createInputTopic(Topics.INVOCATION_EVENTS.name(), new StringSerializer(),
                FoldTopology.serde(InvocationEvent.class).serializer());
        states = driver.createOutputTopic(Topics.INVOCATION_STATE.name(), new StringDeserializer(),
                FoldTopology.serde(InvocationState.class).deserializer());
        outputs = driver.createOutputTopic(Topics.INVOCATION_OUTPUTS.name(), new StringDeserializer(),
                FoldTopology.serde(InstanceOutput.class).deserializer());
        timers = driver.createOutputTopic(Topics.INVOCATION_EVENTS.name(), new StringDeserializer(),
                FoldTopology.serde(InvocationEvent.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void create(String invokeId) {
        CommandSpec spec = new CommandSpec(CommandId.of("c-route0001"), "n", "", "RunShellScript", "echo", 60, "root",
                "/", "Process", null);
        events.pipeInput(invokeId, new InvocationCreated("e-" + invokeId, InvokeId.of(invokeId), T0,
                RegionId.of("cn-hangzhou"), spec, List.of(A), new Caller("1001", "AK", "127.0.0.1", "R"), null, null));
    }

    private void report(String invokeId, InstanceStatus status, String output) {
        events.pipeInput(invokeId, new InstanceStatusReported("e-" + invokeId + status, InvokeId.of(invokeId), T0, A,
                status, status.isTerminal() ? 0 : null, null, null, output, 0));
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void statesOutputsAndTimersEachGoToTheirOwnTopic() {
        create("t-route0001");
        report("t-route0001", InstanceStatus.RUNNING, null);
        report("t-route0001", InstanceStatus.SUCCESS, "hello");

        List<TestRecord<String, InvocationState>> written = states.readRecordsToList();
        assertThat(written).extracting(r -> r.getValue().version()).containsExactly(1L, 2L, 3L);
        assertThat(written.get(2).getValue().instances()).singleElement()
                .satisfies(i -> assertThat(i.status()).isEqualTo(InstanceStatus.SUCCESS));
        assertThat(written.get(2).getValue().outputs()).as("outputs travel apart from the state").isEmpty();
        assertThat(header(written.get(2), "ce_type")).endsWith("InvocationState");

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
        create("t-late0001");
        states.readRecordsToList();

        driver.advanceWallClockTime(DELIVERY.minusSeconds(5));
        assertThat(timers.isEmpty()).as("not yet due").isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(10));
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

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(timers.isEmpty()).as("a timer fires once").isTrue();
    }
}
