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
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold of NextRebootOnly and EveryReboot: a boot id recorded, one run per boot id that differs from it. */
class RebootFoldTest {

    private static final String BOOT_1 = "7f9c2ba4-e88f-4d0a-8b55-0c1d2e3f4a51";
    private static final String BOOT_2 = "7f9c2ba4-e88f-4d0a-8b55-0c1d2e3f4a52";
    private static final String BOOT_3 = "7f9c2ba4-e88f-4d0a-8b55-0c1d2e3f4a53";

    private static InvocationState fold(InvocationEvent... events) {
        return fold(null, events);
    }

    private static InvocationState fold(InvocationState from, InvocationEvent... events) {
        InvocationState s = from;
        for (InvocationEvent e : events) {
            s = InvocationFold.apply(s, e);
        }
        return s;
    }

    private static InvocationCreated created(RepeatMode mode) {
        return new InvocationCreated(eventId(), INVOKE, T0, REGION, COMMAND, List.of(I1, I2), CALLER, null, null,
                null, Schedule.onReboot(mode));
    }

    private static TimeoutDetected boot(InstanceId id, String bootId, Instant at) {
        return new TimeoutDetected(eventId(), INVOKE, at, id, TimeoutDetected.Kind.BOOT, null, null, null, bootId);
    }

    private static TimeoutDetected run(InstanceId id, int run, String bootId, Instant at) {
        return new TimeoutDetected(eventId(), INVOKE, at, id, TimeoutDetected.Kind.RUN, null, null, run, bootId);
    }

    private static InstanceStatusReported report(InstanceId id, InstanceStatus status, Integer run, Instant at,
            Integer exitCode) {
        return new InstanceStatusReported(eventId(), INVOKE, at, id, status, exitCode, null, null, "out " + run, 0,
                null, run);
    }

    private static InstanceState i1(InvocationState s) {
        return s.instance(I1).orElseThrow();
    }

    @Test
    void aRebootModeWaitsScheduledUntilItsBootIdIsRecorded() {
        InvocationState s = fold(created(RepeatMode.EVERY_REBOOT));
        assertThat(s.repeatMode()).isEqualTo(RepeatMode.EVERY_REBOOT);
        assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.SCHEDULED);
        assertThat(s.invocationStatus().legacyInvokeStatus()).isEqualTo("Running");
        assertThat(InvocationFold.apply(s, run(I1, 1, BOOT_2, t(5)))).as("no boot id recorded yet: no reboot seen")
                .isSameAs(s);

        s = InvocationFold.apply(s, boot(I1, BOOT_1, t(1)));
        assertThat(i1(s).bootId()).isEqualTo(BOOT_1);
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.SCHEDULED);
        assertThat(InvocationFold.apply(s, boot(I1, BOOT_2, t(2)))).as("the first boot id seen stays").isSameAs(s);
        assertThat(InvocationFold.apply(s, run(I1, 1, BOOT_1, t(3)))).as("the same boot: no run").isSameAs(s);
    }

    @Test
    void nextRebootOnlyRunsOnceOnTheFirstRebootAndEndsAsItsRunDid() {
        InvocationState s = fold(created(RepeatMode.NEXT_REBOOT_ONLY), boot(I1, BOOT_1, t(1)),
                run(I1, 1, BOOT_2, t(10)));
        assertThat(i1(s).run()).isEqualTo(1);
        assertThat(i1(s).delivering()).isTrue();
        assertThat(i1(s).bootId()).isEqualTo(BOOT_2);
        assertThat(InvocationFold.apply(s, run(I1, 1, BOOT_2, t(10)))).as("a second copy of the timer").isSameAs(s);

        s = fold(s, report(I1, InstanceStatus.RUNNING, 1, t(11), null), report(I1, InstanceStatus.SUCCESS, 1, t(12), 0));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.SCHEDULED);
        assertThat(i1(s).repeats()).isEqualTo(1);
        assertThat(InvocationFold.apply(s, run(I1, 2, BOOT_3, t(20)))).as("NextRebootOnly runs once").isSameAs(s);

        s = InvocationFold.apply(s, new TimeoutDetected(eventId(), INVOKE, t(13), I1,
                TimeoutDetected.Kind.SCHEDULE_END, null, null, 1));
        assertThat(i1(s).status()).isEqualTo(InstanceStatus.SUCCESS);
        assertThat(i1(s).output()).isEqualTo("out 1");
    }

    @Test
    void everyRebootRunsOncePerNewBootIdAndAStopEndsIt() {
        InvocationState s = fold(created(RepeatMode.EVERY_REBOOT), boot(I1, BOOT_1, t(1)),
                run(I1, 1, BOOT_2, t(10)), report(I1, InstanceStatus.RUNNING, 1, t(11), null),
                report(I1, InstanceStatus.SUCCESS, 1, t(12), 0));
        assertThat(InvocationFold.apply(s, run(I1, 2, BOOT_2, t(20))))
                .as("the same boot said hello again: no second run").isSameAs(s);

        s = fold(s, run(I1, 2, BOOT_3, t(30)), report(I1, InstanceStatus.RUNNING, 2, t(31), null),
                report(I1, InstanceStatus.FAILED, 2, t(32), 1));
        assertThat(i1(s).repeats()).isEqualTo(2);
        assertThat(i1(s).bootId()).isEqualTo(BOOT_3);
        assertThat(i1(s).status()).as("EveryReboot waits for the next").isEqualTo(InstanceStatus.SCHEDULED);

        s = fold(s, stop(t(40)), report(I1, InstanceStatus.CANCELLED, null, t(41), null),
                report(I2, InstanceStatus.CANCELLED, null, t(41), null));
        assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPED);
        assertThat(InvocationFold.apply(s, run(I1, 3, BOOT_1, t(50)))).as("no run after a stop").isSameAs(s);
    }

    @Test
    void aPeriodRunCarriesNoBootIdAndTheScheduleReadsBackWithItsMode() {
        InvocationState period = fold(new InvocationCreated(eventId(), INVOKE, T0, REGION, COMMAND, List.of(I1),
                CALLER, null, null, null, new Schedule("rate(1m)", "UTC")));
        assertThat(InvocationFold.apply(period, run(I1, 1, BOOT_1, t(60)))).isSameAs(period);
        assertThat(InvocationFold.apply(period, boot(I1, BOOT_1, t(60)))).isSameAs(period);

        InvocationState s = fold(created(RepeatMode.NEXT_REBOOT_ONLY), boot(I1, BOOT_1, t(1)));
        String json = StopPlaneJson.mapper().writeValueAsString(s);
        InvocationState read = StopPlaneJson.mapper().readValue(json, InvocationState.class);
        assertThat(read.schedule()).isEqualTo(Schedule.onReboot(RepeatMode.NEXT_REBOOT_ONLY));
        assertThat(i1(read).bootId()).isEqualTo(BOOT_1);
        assertThat(StopPlaneJson.mapper().readValue("{\"frequency\":\"rate(1m)\",\"zone\":\"UTC\"}", Schedule.class)
                .mode()).as("a schedule written before the reboot modes").isEqualTo(RepeatMode.PERIOD);
    }
}
