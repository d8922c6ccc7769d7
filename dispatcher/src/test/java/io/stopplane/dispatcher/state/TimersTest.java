package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TimersTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final InstanceId A = InstanceId.of("i-timer0001");
    private static final InvokeId ID = InvokeId.of("t-timer0001");

    private final Timers timers = new Timers(new TimerProperties(Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofDays(30)));

    private final Function<InstanceId, AgentHeartbeat> noAgent = id -> null;

    @Test
    void pendingPastTheDeliveryTimeoutIsAbortedAsClientNotRunningWhenTheAgentIsSilent() {
        InvocationState s = fold(created(10));
        assertThat(timers.due(s, T0.plusSeconds(59), noAgent)).isEmpty();
        List<TimeoutDetected> due = timers.due(s, T0.plusSeconds(60), noAgent);
        assertThat(due).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.DELIVERY);
            assertThat(t.errorCode()).isEqualTo("ClientNotRunning");
        });
        InvocationState aborted = InvocationFold.apply(s, due.get(0));
        assertThat(aborted.instance(A).orElseThrow().status()).isEqualTo(InstanceStatus.ABORTED);
    }

    @Test
    void pendingPastTheDeliveryTimeoutWithALiveAgentIsDeliveryTimeout() {
        InvocationState s = fold(created(10));
        Instant now = T0.plusSeconds(61);
        Map<InstanceId, AgentHeartbeat> alive = Map.of(A, new AgentHeartbeat(A, RegionId.of("cn-hangzhou"), null,
                "1", "h", now.minusSeconds(2)));
        assertThat(timers.due(s, now, alive::get)).singleElement()
                .satisfies(t -> assertThat(t.errorCode()).isEqualTo("DeliveryTimeout"));
    }

    @Test
    void theDeliveryTimeoutTheCommandCarriesIsTheOneThatCounts() {
        CommandSpec shortOne = new CommandSpec(CommandId.random(), null, null, CommandSpec.RUN_SHELL_SCRIPT, "sleep 1",
                10, null, null, null, 5);
        InvocationState s = fold(new InvocationCreated(UUID.randomUUID().toString(), ID, T0, RegionId.of("cn-hangzhou"),
                shortOne, List.of(A), new Caller(null, null, null, null)));
        assertThat(timers.due(s, T0.plusSeconds(4), noAgent)).isEmpty();
        assertThat(timers.due(s, T0.plusSeconds(5), noAgent)).singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.DELIVERY));
    }

    @Test
    void anUnacknowledgedStopIsFlaggedOnceAndStaysStopping() {
        InvocationState s = fold(created(10), report(InstanceStatus.RUNNING, 1),
                new StopRequested(UUID.randomUUID().toString(), ID, T0.plusSeconds(5), List.of(), null));
        assertThat(timers.due(s, T0.plusSeconds(34), noAgent)).isEmpty();
        List<TimeoutDetected> due = timers.due(s, T0.plusSeconds(35), noAgent);
        assertThat(due).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.STOP));
        InvocationState flagged = InvocationFold.apply(s, due.get(0));
        assertThat(flagged.instance(A).orElseThrow().status()).isEqualTo(InstanceStatus.STOPPING);
        assertThat(flagged.instance(A).orElseThrow().errorInfo()).contains("agent is not running");
        assertThat(timers.due(flagged, T0.plusSeconds(90), noAgent)).isEmpty();
        InvocationState terminated = InvocationFold.apply(flagged, report(InstanceStatus.TERMINATED, 100));
        assertThat(terminated.instance(A).orElseThrow().status()).isEqualTo(InstanceStatus.TERMINATED);
    }

    @Test
    void runningWithASilentAgentPastTimeoutPlusMarginIsError() {
        InvocationState s = fold(created(10), report(InstanceStatus.RUNNING, 1));
        assertThat(timers.due(s, T0.plusSeconds(70), noAgent)).isEmpty();
        List<TimeoutDetected> due = timers.due(s, T0.plusSeconds(71), noAgent);
        assertThat(due).singleElement().satisfies(t -> assertThat(t.errorCode()).isEqualTo("ClientNotResponse"));
        assertThat(InvocationFold.apply(s, due.get(0)).instance(A).orElseThrow().status())
                .isEqualTo(InstanceStatus.ERROR);
        Map<InstanceId, AgentHeartbeat> alive = Map.of(A, new AgentHeartbeat(A, null, null, "1", "h",
                T0.plusSeconds(70)));
        assertThat(timers.due(s, T0.plusSeconds(71), alive::get)).isEmpty();
    }

    private static InvocationState fold(InvocationEvent... events) {
        InvocationState s = null;
        for (InvocationEvent e : events) {
            s = InvocationFold.apply(s, e);
        }
        return s;
    }

    private static InvocationCreated created(int timeoutSeconds) {
        CommandSpec spec = new CommandSpec(CommandId.random(), null, null, CommandSpec.RUN_SHELL_SCRIPT, "sleep 1",
                timeoutSeconds, null, null, null);
        return new InvocationCreated(UUID.randomUUID().toString(), ID, T0, RegionId.of("cn-hangzhou"), spec,
                List.of(A), new Caller(null, null, null, null));
    }

    private static InstanceStatusReported report(InstanceStatus status, int second) {
        return new InstanceStatusReported(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), A, status,
                status.isTerminal() ? 143 : null, null, null, null, 0);
    }
}
