package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention: a finished invocation is tombstoned in {@code invocation-state} and {@code invocation-outputs} once its
 * retention has passed on the dispatcher's wall clock, and leaves the store; an unfinished one stays however old.
 */
class FoldRetentionTest {

    private static final Duration RETENTION = Duration.ofMinutes(2);
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static final InstanceId A = InstanceId.of("i-keep0001");

    private TopologyTestDriver driver;
    private TestInputTopic<String, InvocationEvent> events;
    private TestOutputTopic<String, InvocationState> states;
    private TestOutputTopic<String, InstanceOutput> outputs;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        TimerProperties props = new TimerProperties(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofSeconds(15), Duration.ofSeconds(1), RETENTION);
        FoldTopology.fold(builder, props, new FoldMetrics(new SimpleMeterRegistry()), id -> null);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "retention-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        driver = new TopologyTestDriver(builder.build(), config, T0);
        events = driver.createInputTopic(Topics.INVOCATION_EVENTS.name(), new StringSerializer(),
                FoldTopology.serde(InvocationEvent.class).serializer());
        states = driver.createOutputTopic(Topics.INVOCATION_STATE.name(), new StringDeserializer(),
                FoldTopology.serde(InvocationState.class).deserializer());
        outputs = driver.createOutputTopic(Topics.INVOCATION_OUTPUTS.name(), new StringDeserializer(),
                FoldTopology.serde(InstanceOutput.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void create(String invokeId) {
        CommandSpec spec = new CommandSpec(CommandId.of("c-keep0001"), "n", "", "RunShellScript", "echo", 60, "root",
                "/", "Process", null);
        events.pipeInput(invokeId, new InvocationCreated("e-" + invokeId, InvokeId.of(invokeId), T0,
                RegionId.of("cn-hangzhou"), spec, List.of(A), new Caller("1001", "AK", "127.0.0.1", "R"), null, null));
    }

    private void report(String invokeId, InstanceStatus status, String output) {
        events.pipeInput(invokeId, new InstanceStatusReported("e-" + invokeId + status, InvokeId.of(invokeId), T0, A,
                status, status.isTerminal() ? 0 : null, null, null, output, 0));
    }

    @Test
    void aFinishedInvocationIsTombstonedAfterItsRetentionAndAnUnfinishedOneIsKept() {
        create("t-done0001");
        report("t-done0001", InstanceStatus.RUNNING, null);
        report("t-done0001", InstanceStatus.SUCCESS, "hello");
        create("t-live0001");
        report("t-live0001", InstanceStatus.RUNNING, null);
        assertThat(states.readKeyValuesToMap()).containsKeys("t-done0001", "t-live0001");
        assertThat(outputs.readKeyValuesToList()).extracting(kv -> kv.value.output()).containsExactly("hello");

        driver.advanceWallClockTime(RETENTION.minusSeconds(30));
        assertThat(states.isEmpty()).as("not yet").isTrue();

        driver.advanceWallClockTime(Duration.ofMinutes(1));
        List<KeyValue<String, InvocationState>> tombstones = states.readKeyValuesToList();
        assertThat(tombstones).containsExactly(new KeyValue<>("t-done0001", null));
        assertThat(outputs.readKeyValuesToList())
                .containsExactly(new KeyValue<>(InstanceOutput.key(InvokeId.of("t-done0001"), A), null));
        assertThat(driver.getKeyValueStore(FoldTopology.STORE).get("t-done0001")).as("gone from the store").isNull();
        assertThat(driver.getKeyValueStore(FoldTopology.STORE).get("t-live0001")).isNotNull();

        driver.advanceWallClockTime(Duration.ofHours(2));
        Map<String, InvocationState> later = states.readKeyValuesToMap();
        assertThat(later).as("an unfinished invocation is never expired; only its timers may fire")
                .doesNotContainEntry("t-live0001", null);
    }
}
