package io.stopplane.model.state;

import static io.stopplane.model.TestEvents.CALLER;
import static io.stopplane.model.TestEvents.COMMAND;
import static io.stopplane.model.TestEvents.I1;
import static io.stopplane.model.TestEvents.I2;
import static io.stopplane.model.TestEvents.I3;
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
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fold of {@link InvocationModified}: a new revision of a live schedule, the run in progress untouched. */
class ModifiedFoldTest {

    private static final Schedule EVERY_MINUTE = new Schedule("rate(1m)", "UTC");

    private static InvocationState fold(InvocationEvent... events) {
        InvocationState s = null;
        for (InvocationEvent e : events) {
            s = InvocationFold.apply(s, e);
        }
        return s;
    }

    private static InvocationCreated created(Schedule schedule) {
        return new InvocationCreated(eventId(), INVOKE, T0, REGION, COMMAND, List.of(I1), CALLER, null, null,
                null, schedule);
    }

    private static InvocationModified content(String content, int revision, Instant at) {
        return new InvocationModified(eventId(), INVOKE, at, content, null, null, null, List.of(), revision, CALLER);
    }

    private static InvocationModified frequency(String frequency, int revision, Instant at) {
        return new InvocationModified(eventId(), INVOKE, at, null, null, frequency, "UTC", List.of(), revision,
                CALLER);
    }

    private static InvocationModified adding(int revision, Instant at, InstanceId... added) {
        return new InvocationModified(eventId(), INVOKE, at, null, null, null, null, List.of(added), revision,
                CALLER);
    }

    private static TimeoutDetected timer(InstanceId id, TimeoutDetected.Kind kind, Integer run, int revision,
            Instant at) {
        return new TimeoutDetected(eventId(), INVOKE, at, id, kind, null, null, run, null, revision);
    }

    private static InstanceStatusReported report(InstanceId id, InstanceStatus status, int run, Instant at,
            Integer exitCode) {
        return new InstanceStatusReported(eventId(), INVOKE, at, id, status, exitCode, null, null, "out " + run, 0,
                null, run);
    }

    @Test
    void aModificationMakesTheNextRevisionWithTheNewContentAndKeepsTheCommandId() {
        InvocationState s = fold(created(EVERY_MINUTE), content("echo new", 1, t(30)));
        assertThat(s.schedule().revision()).isEqualTo(1);
        assertThat(s.schedule().frequency()).isEqualTo("rate(1m)");
        assertThat(s.schedule().since()).as("the Frequency did not change: its runs count as before").isNull();
        assertThat(s.command().content()).isEqualTo("echo new");
        assertThat(s.command().commandId()).isEqualTo(COMMAND.commandId());
        assertThat(s.commandFor(I1).content()).isEqualTo("echo new");
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.headDiffers(fold(created(EVERY_MINUTE)))).isTrue();
    }

    @Test
    void aNewFrequencyCountsFromTheModificationAndParametersAreReplaced() {
        InvocationCreated withParameters = new InvocationCreated(eventId(), INVOKE, T0, REGION,
                COMMAND.withContent("echo {{greeting}}"), List.of(I1), CALLER, null, null, Map.of("greeting", "hi"),
                EVERY_MINUTE);
        InvocationState s = fold(withParameters, frequency("rate(5m)", 1, t(30)),
                new InvocationModified(eventId(), INVOKE, t(40), null, Map.of("greeting", "bye"), null, null,
                        List.of(), 2, CALLER));
        assertThat(s.schedule().frequency()).isEqualTo("rate(5m)");
        assertThat(s.schedule().since()).isEqualTo(t(30));
        assertThat(s.schedule().origin(T0)).isEqualTo(t(30));
        assertThat(s.schedule().revision()).isEqualTo(2);
        assertThat(s.commandFor(I1).content()).isEqualTo("echo bye");
    }

    @Test
    void theRunInProgressIsNotTouchedAndItsReportsStillCount() {
        InvocationState s = fold(created(EVERY_MINUTE),
                timer(I1, TimeoutDetected.Kind.RUN, 1, 0, t(60)),
                content("echo new", 1, t(61)),
                report(I1, InstanceStatus.RUNNING, 1, t(62), null));
        InstanceState i1 = s.instance(I1).orElseThrow();
        assertThat(i1.status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(i1.run()).isEqualTo(1);
        assertThat(i1.repeats()).isEqualTo(1);
        s = fold(created(EVERY_MINUTE), timer(I1, TimeoutDetected.Kind.RUN, 1, 0, t(60)),
                content("echo new", 1, t(61)), report(I1, InstanceStatus.RUNNING, 1, t(62), null),
                report(I1, InstanceStatus.SUCCESS, 1, t(63), 0),
                timer(I1, TimeoutDetected.Kind.RUN, 2, 1, t(120)));
        assertThat(s.instance(I1).orElseThrow().status()).isEqualTo(InstanceStatus.SCHEDULED);
        assertThat(s.instance(I1).orElseThrow().run()).isEqualTo(2);
        assertThat(s.instance(I1).orElseThrow().delivering()).isTrue();
    }

    @Test
    void aTimerArmedForAnOlderRevisionFiresNothing() {
        InvocationCreated c = created(EVERY_MINUTE);
        InvocationState stale = fold(c, content("echo new", 1, t(30)), timer(I1, TimeoutDetected.Kind.RUN, 1, 0,
                t(60)));
        assertThat(stale.instance(I1).orElseThrow().run()).isNull();
        assertThat(stale.instance(I1).orElseThrow().delivering()).isFalse();
        InvocationState ended = fold(c, content("echo new", 1, t(30)),
                timer(I1, TimeoutDetected.Kind.SCHEDULE_END, null, 0, t(60)));
        assertThat(ended.instance(I1).orElseThrow().status()).isEqualTo(InstanceStatus.SCHEDULED);
        InvocationState fresh = fold(c, content("echo new", 1, t(30)), timer(I1, TimeoutDetected.Kind.RUN, 1, 1,
                t(60)));
        assertThat(fresh.instance(I1).orElseThrow().run()).isEqualTo(1);
        assertThat(fresh.instance(I1).orElseThrow().delivering()).isTrue();
    }

    @Test
    void aTimerWithoutARevisionIsRevisionZeroAsWrittenBeforeModifications() {
        InvocationState s = fold(created(EVERY_MINUTE),
                new TimeoutDetected(eventId(), INVOKE, t(60), I1, TimeoutDetected.Kind.RUN, null, null, 1));
        assertThat(s.instance(I1).orElseThrow().run()).isEqualTo(1);
    }

    @Test
    void addedInstancesJoinScheduledOnceAndRunOnTheirOwnRuns() {
        InvocationState s = fold(created(EVERY_MINUTE), adding(1, t(30), I2, I1, I2),
                timer(I2, TimeoutDetected.Kind.RUN, 1, 1, t(60)));
        assertThat(s.instances()).extracting(InstanceState::instanceId).containsExactly(I1, I2);
        InstanceState i2 = s.instance(I2).orElseThrow();
        assertThat(i2.status()).isEqualTo(InstanceStatus.SCHEDULED);
        assertThat(i2.creationTime()).isEqualTo(t(30));
        assertThat(i2.run()).isEqualTo(1);
        assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.SCHEDULED);
    }

    @Test
    void theLastModificationWins() {
        InvocationState s = fold(created(EVERY_MINUTE), content("echo one", 1, t(10)), content("echo two", 1,
                t(11)));
        assertThat(s.command().content()).isEqualTo("echo two");
        assertThat(s.schedule().revision()).as("the fold numbers revisions in the log's order").isEqualTo(2);
    }

    @Test
    void aStoppedTargetStaysStoppedAndAnInvocationThatIsOverOrRunsOnceIsNotModified() {
        // a stop acknowledged without a run in progress: reported with no run
        InvocationState stopped = fold(created(EVERY_MINUTE), stop(t(5)),
                new InstanceStatusReported(eventId(), INVOKE, t(6), I1, InstanceStatus.CANCELLED, null, null, null,
                        null, 0, null, null));
        assertThat(stopped.invocationStatus().isFinal()).isTrue();
        assertThat(InvocationFold.apply(stopped, content("echo new", 1, t(7)))).isSameAs(stopped);

        InvocationState once = fold(new InvocationCreated(eventId(), INVOKE, T0, REGION, COMMAND, List.of(I1),
                CALLER));
        assertThat(InvocationFold.apply(once, content("echo new", 1, t(7)))).isSameAs(once);
        assertThat(InvocationFold.apply(null, content("echo new", 1, t(7)))).isNull();

        InvocationCreated two = new InvocationCreated(eventId(), INVOKE, T0, REGION, COMMAND, List.of(I1, I2),
                CALLER, null, null, null, EVERY_MINUTE);
        InvocationState oneStopped = fold(two, stop(t(5), I1), new InstanceStatusReported(eventId(), INVOKE, t(6),
                I1, InstanceStatus.CANCELLED, null, null, null, null, 0, null, null), adding(1, t(7), I1, I3));
        assertThat(oneStopped.instance(I1).orElseThrow().status()).isEqualTo(InstanceStatus.CANCELLED);
        assertThat(oneStopped.instance(I3).orElseThrow().status()).isEqualTo(InstanceStatus.SCHEDULED);
    }

    @Test
    void aFrequencyForARebootModeIsIgnoredButItsContentApplies() {
        InvocationState s = fold(created(Schedule.onReboot(RepeatMode.EVERY_REBOOT)),
                new InvocationModified(eventId(), INVOKE, t(10), "echo rebooted", null, "rate(1m)", "UTC", List.of(),
                        1, CALLER));
        assertThat(s.schedule().frequency()).isEmpty();
        assertThat(s.schedule().mode()).isEqualTo(RepeatMode.EVERY_REBOOT);
        assertThat(s.command().content()).isEqualTo("echo rebooted");
    }

    @Test
    void aScheduleWrittenBeforeRevisionsReadsAsRevisionZeroAndAModifiedOneRoundTrips() throws Exception {
        Schedule old = StopPlaneJson.mapper().readValue("{\"frequency\":\"rate(1m)\",\"zone\":\"UTC\"}",
                Schedule.class);
        assertThat(old.revision()).isZero();
        assertThat(old.since()).isNull();
        InvocationState s = fold(created(EVERY_MINUTE), frequency("rate(2m)", 1, t(30)));
        String json = StopPlaneJson.mapper().writeValueAsString(s);
        assertThat(StopPlaneJson.mapper().readValue(json, InvocationState.class)).isEqualTo(s);
    }
}
