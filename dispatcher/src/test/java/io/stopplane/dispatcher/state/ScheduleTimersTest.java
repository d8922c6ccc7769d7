package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** When the runs of a schedule are issued, skipped, given up and ended, on a clock the test moves. */
class ScheduleTimersTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final InstanceId A = InstanceId.of("i-sched0001");
    private static final InvokeId ID = InvokeId.of("t-sched0001");

    private final Timers timers = new Timers(new TimerProperties(Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofDays(30),
            Duration.ofSeconds(30)));
    /** The agent's heartbeat, always fresh unless a test says otherwise. */
    private Function<InstanceId, AgentHeartbeat> agent = id -> new AgentHeartbeat(id, null, null, "1", "h",
            Instant.MAX.minusSeconds(3600));

    @Test
    void aRateRunsOneIntervalAfterCreationThenEveryInterval() {
        InvocationState s = created("rate(60s)");
        assertThat(timers.due(s, T0.plusSeconds(59), agent)).isEmpty();
        s = fire(s, T0.plusSeconds(60), 1);
        s = ran(s, 1, T0.plusSeconds(61), T0.plusSeconds(62));
        assertThat(timers.due(s, T0.plusSeconds(119), agent)).isEmpty();
        fire(s, T0.plusSeconds(120), 2);
    }

    @Test
    void anAtRunsOnceAtItsTimeInItsZoneThenTheScheduleEnds() {
        InvocationState s = created("at(2026-11-27 18:00:30 Asia/Shanghai)");
        assertThat(timers.due(s, T0.plusSeconds(29), agent)).isEmpty();
        s = fire(s, T0.plusSeconds(30), 1);
        s = ran(s, 1, T0.plusSeconds(31), T0.plusSeconds(32));
        assertThat(only(s, T0.plusSeconds(33)).kind()).isEqualTo(TimeoutDetected.Kind.SCHEDULE_END);
        s = InvocationFold.apply(s, only(s, T0.plusSeconds(33)));
        assertThat(s.instance(A).orElseThrow().status()).isEqualTo(InstanceStatus.SUCCESS);
    }

    @Test
    void anAtWithoutAZoneIsUtc() {
        InvocationState s = created("at(2026-11-27 10:00:30)");
        assertThat(timers.due(s, T0.plusSeconds(29), agent)).isEmpty();
        fire(s, T0.plusSeconds(30), 1);
    }

    @Test
    void aCronFiresAtEachMatchingSecondInItsZone() {
        InvocationState s = created("0,30 * * ? * * Asia/Shanghai");
        assertThat(timers.due(s, T0.plusSeconds(29), agent)).isEmpty();
        s = ran(fire(s, T0.plusSeconds(30), 1), 1, T0.plusSeconds(31), T0.plusSeconds(32));
        assertThat(timers.due(s, T0.plusSeconds(59), agent)).isEmpty();
        fire(s, T0.plusSeconds(60), 2);
    }

    @Test
    void aCronWhoseYearsArePastEndsAtOnceWithoutARun() {
        InvocationState s = created("0 0 10 ? * * 2020");
        TimeoutDetected end = only(s, T0.plusSeconds(1));
        assertThat(end.kind()).isEqualTo(TimeoutDetected.Kind.SCHEDULE_END);
        assertThat(InvocationFold.apply(s, end).invocationStatus().wireName()).isEqualTo("Success");
    }

    @Test
    void anOverlappingRunIsSkippedNotStacked() {
        InvocationState s = created("rate(60s)");
        s = fire(s, T0.plusSeconds(60), 1);
        s = InvocationFold.apply(s, report(1, InstanceStatus.RUNNING, T0.plusSeconds(61)));
        assertThat(timers.due(s, T0.plusSeconds(130), agent)).as("run 1 still runs").isEmpty();
        s = InvocationFold.apply(s, report(1, InstanceStatus.SUCCESS, T0.plusSeconds(135)));
        assertThat(timers.due(s, T0.plusSeconds(136), agent)).as("the run at 120 s was skipped").isEmpty();
        fire(s, T0.plusSeconds(180), 2);
    }

    @Test
    void runsMissedWhileTheAgentWasAwayAreSkippedNotFiredInABurst() {
        InvocationState s = created("rate(60s)");
        agent = id -> null;
        assertThat(timers.due(s, T0.plusSeconds(60), agent)).isEmpty();
        assertThat(timers.due(s, T0.plusSeconds(300), agent)).isEmpty();
        agent = id -> new AgentHeartbeat(id, null, null, "1", "h", Instant.MAX.minusSeconds(3600));
        assertThat(timers.due(s, T0.plusSeconds(335), agent)).as("the run at 300 s is past the grace").isEmpty();
        s = fire(s, T0.plusSeconds(360), 1);
        s = ran(s, 1, T0.plusSeconds(361), T0.plusSeconds(362));
        assertThat(timers.due(s, T0.plusSeconds(363), agent)).isEmpty();
    }

    @Test
    void anUndeliveredRunIsGivenUpAfterTheDeliveryTimeout() {
        InvocationState s = fire(created("rate(60s)"), T0.plusSeconds(60), 1);
        assertThat(timers.due(s, T0.plusSeconds(79), agent)).isEmpty();
        TimeoutDetected given = only(s, T0.plusSeconds(80));
        assertThat(given.kind()).isEqualTo(TimeoutDetected.Kind.DELIVERY);
        assertThat(given.run()).isEqualTo(1);
        s = InvocationFold.apply(s, given);
        fire(s, T0.plusSeconds(120), 2);
    }

    @Test
    void noRunIsIssuedToAStoppedTarget() {
        InvocationState s = InvocationFold.apply(created("rate(60s)"),
                new StopRequested(UUID.randomUUID().toString(), ID, T0.plusSeconds(5), List.of(), null));
        assertThat(timers.due(s, T0.plusSeconds(60), agent)).noneMatch(t -> t.kind() == TimeoutDetected.Kind.RUN);
        assertThat(timers.due(s, T0.plusSeconds(600), agent)).noneMatch(t -> t.kind() == TimeoutDetected.Kind.RUN);
    }

    private TimeoutDetected only(InvocationState s, Instant now) {
        List<TimeoutDetected> due = timers.due(s, now, agent);
        assertThat(due).hasSize(1);
        return due.get(0);
    }

    private InvocationState fire(InvocationState s, Instant now, int run) {
        TimeoutDetected t = only(s, now);
        assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.RUN);
        assertThat(t.run()).isEqualTo(run);
        InvocationState issued = InvocationFold.apply(s, t);
        assertThat(timers.due(issued, now, agent)).as("issued once").isEmpty();
        return issued;
    }

    private static InvocationState ran(InvocationState s, int run, Instant started, Instant finished) {
        return InvocationFold.apply(InvocationFold.apply(s, report(run, InstanceStatus.RUNNING, started)),
                report(run, InstanceStatus.SUCCESS, finished));
    }

    private static InvocationState created(String frequency) {
        CommandSpec spec = new CommandSpec(CommandId.random(), null, null, CommandSpec.RUN_SHELL_SCRIPT, "true", 10,
                null, null, null);
        return InvocationFold.apply(null, new InvocationCreated(UUID.randomUUID().toString(), ID, T0,
                RegionId.of("cn-hangzhou"), spec, List.of(A), new Caller(null, null, null, null), null, null, null,
                new Schedule(frequency, "UTC")));
    }

    private static InstanceStatusReported report(int run, InstanceStatus status, Instant at) {
        return new InstanceStatusReported(UUID.randomUUID().toString(), ID, at, A, status,
                status.isTerminal() ? 0 : null, null, null, null, 0, null, run);
    }
}
