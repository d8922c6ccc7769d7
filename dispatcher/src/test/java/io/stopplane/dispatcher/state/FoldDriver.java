package io.stopplane.dispatcher.state;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The fold's topology in a {@link TopologyTestDriver} whose wall clock the test moves: the event topic in, the state,
 * output and timer-event topics out, and one target whose invocations a test creates and reports on.
 */
final class FoldDriver implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    final TopologyTestDriver driver;
    final TestInputTopic<String, InvocationEvent> events;
    /** {@code invocation-state} as JSON: states under invocations' keys, target records under targets'. */
    final TestOutputTopic<String, String> states;
    final TestOutputTopic<String, InstanceOutput> outputs;
    /** What the fold writes back onto {@code invocation-events}: its timers. */
    final TestOutputTopic<String, InvocationEvent> timers;
    /** What the fold sends the agents: the runs of scheduled invocations. */
    final TestOutputTopic<String, InstanceCommand> commands;
    private final InstanceId target;

    FoldDriver(TimerProperties timers, InstanceId target) {
        this(timers, target, id -> null);
    }

    /** @param heartbeats the table of the agents' heartbeats the timers read */
    FoldDriver(TimerProperties timers, InstanceId target, Function<InstanceId, AgentHeartbeat> heartbeats) {
        this.target = target;
        Topology topology = FoldTopology.fold(new Topology(), timers, new FoldMetrics(new SimpleMeterRegistry()),
                heartbeats);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "fold-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        driver = new TopologyTestDriver(topology, config, T0);
        events = driver.createInputTopic(Topics.INVOCATION_EVENTS.name(), new StringSerializer(),
                FoldTopology.serde(InvocationEvent.class).serializer());
        states = driver.createOutputTopic(Topics.INVOCATION_STATE.name(), new StringDeserializer(),
                new StringDeserializer());
        outputs = driver.createOutputTopic(Topics.INVOCATION_OUTPUTS.name(), new StringDeserializer(),
                FoldTopology.serde(InstanceOutput.class).deserializer());
        commands = driver.createOutputTopic(Topics.INSTANCE_COMMANDS.name(), new StringDeserializer(),
                FoldTopology.serde(InstanceCommand.class).deserializer());
        this.timers = driver.createOutputTopic(Topics.INVOCATION_EVENTS.name(), new StringDeserializer(),
                FoldTopology.serde(InvocationEvent.class).deserializer());
    }

    /** Deadlines of an hour but for {@code delivery} and {@code retention}; timers checked every second. */
    static TimerProperties deadlines(Duration delivery, Duration retention) {
        return new TimerProperties(delivery, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(15),
                Duration.ofSeconds(1), retention);
    }

    void create(String invokeId) {
        CommandSpec spec = new CommandSpec(CommandId.of("c-fold0001"), "n", "", "RunShellScript", "echo", 60, "root",
                "/", "Process", null);
        events.pipeInput(invokeId, new InvocationCreated("e-" + invokeId, InvokeId.of(invokeId), T0,
                RegionId.of("cn-hangzhou"), spec, List.of(target), new Caller("1001", "AK", "127.0.0.1", "R"), null,
                null));
    }

    void report(String invokeId, InstanceStatus status, String output) {
        events.pipeInput(invokeId, new InstanceStatusReported("e-" + invokeId + status, InvokeId.of(invokeId), T0,
                target, status, status.isTerminal() ? 0 : null, null, null, output, 0));
    }

    @Override
    public void close() {
        driver.close();
    }
}
