package io.stopplane.model.state;

import static io.stopplane.model.TestEvents.CALLER;
import static io.stopplane.model.TestEvents.COMMAND;
import static io.stopplane.model.TestEvents.I1;
import static io.stopplane.model.TestEvents.I2;
import static io.stopplane.model.TestEvents.INVOKE;
import static io.stopplane.model.TestEvents.REGION;
import static io.stopplane.model.TestEvents.T0;
import static io.stopplane.model.TestEvents.eventId;
import static io.stopplane.model.TestEvents.stop;
import static io.stopplane.model.TestEvents.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduledFoldTest {

    private static final Schedule EVERY_MINUTE = new Schedule("rate(1m)", "UTC");

    private static InvocationState fold(InvocationEvent... events) {
        InvocationState s = null;
        for (InvocationEvent e : events) {
            s = InvocationFold.apply(s, e);
        }
        return s;
    }

    private static InvocationCreated created() {
        return new InvocationCreated(eventId(), INVOKE, T0, REGION, COMMAND, List.of(I1, I2), CALLER, null, null,
                null, EVERY_MINUTE);
    }

    private static TimeoutDetected timer(InstanceId id, TimeoutDetected.Kind kind, int run, Instant at) {
        return new TimeoutDetected(eventId(), INVOKE, at, id, kind, null, null, run);
    }

    private static InstanceStatusReported report(InstanceId id, InstanceStatus status, Integer run, Instant at,
            Integer exitCode) {
        return new InstanceStatusReported(eventId(), INVOKE, at, id, status, exitCode,
                exitCode != null && exitCode != 0 ? "ExitCodeNonzero" : null, null, "out " + run, 0, null, run);
    }

    private static InstanceState i1(InvocationState s) {
        return s.instance(I1).orElseThrow();
    }

    @Test
    void targetsWaitScheduledAndTheInvocationIsScheduledAndStillRunningToOldClients() {
        InvocationState s = fold(created());
        assertThat(s.instances()).allMatch(i -> i.status() == InstanceStatus.SCHEDULED && i.repeats() == 0);
        assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.SCHEDULED);
        assertThat(s.invocationStatus().legacyInvokeStatus()).isEqualTo("Running");
        assertThat(s.repeatMode()).isEqualTo(RepeatMode.PERIOD);
        assertThat(s.schedule()).isEqualTo(EVERY_MINUTE);
    }

    @Test
    void eachRunGoesScheduledRunningScheduledAndIsCountedOnce() {
        InvocationState s = fold(created(),
                timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)),
                report(I1, InstanceStatus.RUNNING, 1, t(61), null),
                report(I1, InstanceStatus.RUNNING, 1, t(61), null),
                report(I1, InstanceStatus.SUCCESS, 1, t(62), 0),
                timer(I1, TimeoutDetected.Kind.RUN, 2, t(120)),
                report(I1, InstanceStatus.RUNNING, 2, t(121), null));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(i1(s).repeats()).isEqualTo(2);
        assertThat(i1(s).run()).isEqualTo(2);
        assertThat(i1(s).exitCode()).as("the new run's outcome is not known yet").isNull();
        s = InvocationFold.apply(s, report(I1, InstanceStatus.FAILED, 2, t(122), 3));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.SCHEDULED);
        assertThat(i1(s).exitCode()).isEqualTo(3);
        assertThat(i1(s).finishTime()).isEqualTo(t(122));
        assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.SCHEDULED);
    }

    @Test
    void aRunIsIssuedOnceAndNotWhileAnotherRunsOrWaits() {
        InvocationState s = fold(created(), timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)));
        assertThat(i1(s).delivering()).isTrue();
        assertThat(InvocationFold.apply(s, timer(I1, TimeoutDetected.Kind.RUN, 1, t(61)))).isSameAs(s);
        assertThat(InvocationFold.apply(s, timer(I1, TimeoutDetected.Kind.RUN, 2, t(61)))).isSameAs(s);
        InvocationState running = InvocationFold.apply(s, report(I1, InstanceStatus.RUNNING, 1, t(61), null));
        assertThat(InvocationFold.apply(running, timer(I1, TimeoutDetected.Kind.RUN, 2, t(120)))).isSameAs(running);
    }

    @Test
    void aLateReportOfAnEarlierRunChangesNothing() {
        InvocationState s = fold(created(),
                timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)),
                report(I1, InstanceStatus.RUNNING, 1, t(61), null),
                report(I1, InstanceStatus.SUCCESS, 1, t(62), 0),
                timer(I1, TimeoutDetected.Kind.RUN, 2, t(120)));
        assertThat(InvocationFold.apply(s, report(I1, InstanceStatus.SUCCESS, 1, t(130), 0))).isSameAs(s);
        assertThat(InvocationFold.apply(s, report(I1, InstanceStatus.RUNNING, null, t(130), null))).isSameAs(s);
    }

    @Test
    void anUndeliveredRunIsGivenUpAndTheTargetWaitsForTheNext() {
        InvocationState s = fold(created(),
                timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)),
                new TimeoutDetected(eventId(), INVOKE, t(120), I1, TimeoutDetected.Kind.DELIVERY, "DeliveryTimeout",
                        "the command delivery has been timeout", 1));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.SCHEDULED);
        assertThat(i1(s).delivering()).isFalse();
        assertThat(i1(s).repeats()).isZero();
        assertThat(InvocationFold.apply(s, report(I1, InstanceStatus.RUNNING, 1, t(121), null)))
                .as("its start, reported after it was given up").isSameAs(s);
        assertThat(i1(InvocationFold.apply(s, timer(I1, TimeoutDetected.Kind.RUN, 2, t(180)))).run()).isEqualTo(2);
    }

    @Test
    void aStopDuringARunEndsTerminatedAndNoRunIsIssuedAfter() {
        InvocationState s = fold(created(),
                timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)),
                report(I1, InstanceStatus.RUNNING, 1, t(61), null),
                stop(t(62)),
                report(I1, InstanceStatus.TERMINATED, 1, t(63), null));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.TERMINATED);
        assertThat(s.instance(I2).orElseThrow().status()).isEqualTo(InstanceStatus.STOPPING);
        s = InvocationFold.apply(s, report(I2, InstanceStatus.CANCELLED, null, t(64), null));
        assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPED);
        assertThat(s.invocationStatus().legacyInvokeStatus()).isEqualTo("Stopped");
        assertThat(InvocationFold.apply(s, timer(I1, TimeoutDetected.Kind.RUN, 2, t(120)))).isSameAs(s);
    }

    @Test
    void aRunThatFinishesWhileStoppingLeavesTheStopToEndTheTarget() {
        InvocationState s = fold(created(),
                timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)),
                report(I1, InstanceStatus.RUNNING, 1, t(61), null),
                stop(t(62), I1),
                report(I1, InstanceStatus.SUCCESS, 1, t(62), 0));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.STOPPING);
        assertThat(i1(s).exitCode()).isZero();
        s = InvocationFold.apply(s, report(I1, InstanceStatus.CANCELLED, null, t(63), null));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.CANCELLED);
        assertThat(i1(s).output()).as("the last run's output stays").isEqualTo("out 1");
    }

    @Test
    void theScheduleEndsAsItsLastRunDid() {
        InvocationState s = fold(created(),
                timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)),
                report(I1, InstanceStatus.RUNNING, 1, t(61), null),
                report(I1, InstanceStatus.SUCCESS, 1, t(62), 0),
                timer(I2, TimeoutDetected.Kind.RUN, 1, t(60)),
                report(I2, InstanceStatus.RUNNING, 1, t(61), null),
                report(I2, InstanceStatus.FAILED, 1, t(62), 1),
                timer(I1, TimeoutDetected.Kind.SCHEDULE_END, 1, t(70)),
                timer(I2, TimeoutDetected.Kind.SCHEDULE_END, 1, t(70)));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.SUCCESS);
        assertThat(s.instance(I2).orElseThrow().status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.PARTIAL_FAILED);
    }

    @Test
    void aSilentAgentsRunIsAnErrorAndTheTargetWaitsForTheNext() {
        InvocationState s = fold(created(),
                timer(I1, TimeoutDetected.Kind.RUN, 1, t(60)),
                report(I1, InstanceStatus.RUNNING, 1, t(61), null),
                new TimeoutDetected(eventId(), INVOKE, t(200), I1, TimeoutDetected.Kind.EXECUTION,
                        "ClientNotResponse", "the aliyun service in the instance does not response", 1));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.SCHEDULED);
        assertThat(i1(s).errorCode()).isEqualTo("ClientNotResponse");
    }
}
