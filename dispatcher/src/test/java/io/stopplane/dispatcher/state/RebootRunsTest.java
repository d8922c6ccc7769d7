package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NextRebootOnly and EveryReboot through the fold's topology, on the driver's wall clock and a heartbeat table the test
 * writes: the boot id seen first is recorded, a new one issues one run (its RunCommand on {@code instance-commands},
 * once, however often the timer is delivered or the same boot says hello again), NextRebootOnly then ends.
 */
class RebootRunsTest {

    private static final InstanceId A = InstanceId.of("i-reboot0001");
    private static final String BOOT_1 = "11111111-2222-4333-8444-555555555551";
    private static final String BOOT_2 = "11111111-2222-4333-8444-555555555552";
    private static final String BOOT_3 = "11111111-2222-4333-8444-555555555553";

    private Instant now = FoldDriver.T0;
    /** The table's latest heartbeat of A: {@link #hello} writes it in the driver's time. */
    private AgentHeartbeat beat;
    private final FoldDriver fold = new FoldDriver(FoldDriver.deadlines(Duration.ofSeconds(30), Duration.ofDays(1)),
            A, id -> beat);

    @AfterEach
    void close() {
        fold.close();
    }

    @Test
    void everyRebootRunsOncePerNewBootId() {
        hello(BOOT_1);
        create("t-reboot0001", RepeatMode.EVERY_REBOOT);
        assertThat(tick()).as("the boot id recorded").singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.BOOT))
                .satisfies(t -> assertThat(t.bootId()).isEqualTo(BOOT_1));
        hello(BOOT_1);
        assertThat(tick()).as("the same boot connecting again").isEmpty();
        assertThat(fold.commands.isEmpty()).isTrue();

        hello(BOOT_2);
        TimeoutDetected run = tick().get(0);
        assertThat(run.kind()).isEqualTo(TimeoutDetected.Kind.RUN);
        assertThat(run.bootId()).isEqualTo(BOOT_2);
        fold.events.pipeInput(run.invokeId().value(), run); // a second copy: a restart forgets what fired
        List<InstanceCommand> runs = fold.commands.readValuesToList();
        assertThat(runs).singleElement().isInstanceOfSatisfying(RunCommand.class, r -> {
            assertThat(r.run()).isEqualTo(1);
            assertThat(r.commandEventId()).isEqualTo("t-reboot0001/" + A.value() + "/1");
        });
        ran("t-reboot0001", 1);
        hello(BOOT_2);
        assertThat(tick()).isEmpty();

        hello(BOOT_3);
        assertThat(tick()).singleElement().satisfies(t -> assertThat(t.run()).isEqualTo(2));
        assertThat(fold.commands.readValuesToList()).singleElement()
                .isInstanceOfSatisfying(RunCommand.class, r -> assertThat(r.run()).isEqualTo(2));
        assertThat(target().status()).isEqualTo(InstanceStatus.SCHEDULED);
    }

    @Test
    void nextRebootOnlyRunsOnTheFirstRebootThenEndsAsItsRunDid() {
        hello(BOOT_1);
        create("t-reboot0002", RepeatMode.NEXT_REBOOT_ONLY);
        tick();
        hello(BOOT_2);
        assertThat(tick()).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.RUN));
        assertThat(fold.commands.readValuesToList()).hasSize(1);
        ran("t-reboot0002", 1);
        assertThat(tick()).singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.SCHEDULE_END));
        InstanceState ended = target();
        assertThat(ended.status()).isEqualTo(InstanceStatus.SUCCESS);
        assertThat(ended.repeats()).isEqualTo(1);

        hello(BOOT_3);
        assertThat(tick()).isEmpty();
        assertThat(fold.commands.isEmpty()).isTrue();
    }

    @Test
    void aHeartbeatOlderThanTheRecordedBootIsNoReboot() {
        hello(BOOT_1);
        create("t-reboot0003", RepeatMode.EVERY_REBOOT);
        tick();
        // the table replays an older heartbeat while it catches up after a restart
        beat = new AgentHeartbeat(A, null, null, "1", "h", FoldDriver.T0.minusSeconds(1), BOOT_3);
        assertThat(tick()).isEmpty();
        assertThat(fold.commands.isEmpty()).isTrue();
    }

    private void hello(String bootId) {
        beat = new AgentHeartbeat(A, RegionId.of("cn-hangzhou"), null, "1", "h", now, bootId);
    }

    /** One second of wall clock: the timers that fired, each folded (the driver does not feed them back). */
    private List<TimeoutDetected> tick() {
        now = now.plusSeconds(1);
        fold.driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<TimeoutDetected> fired = fold.timers.readValuesToList().stream()
                .map(TimeoutDetected.class::cast).toList();
        fired.forEach(t -> fold.events.pipeInput(t.invokeId().value(), t));
        return fired;
    }

    private void create(String invokeId, RepeatMode mode) {
        CommandSpec spec = new CommandSpec(CommandId.of("c-reboot001"), "n", "", "RunShellScript", "echo", 60, "root",
                "/", "Process", null);
        fold.events.pipeInput(invokeId, new InvocationCreated("e-" + invokeId, InvokeId.of(invokeId), now,
                RegionId.of("cn-hangzhou"), spec, List.of(A), new Caller("1001", "AK", "127.0.0.1", "R"), null, null,
                null, Schedule.onReboot(mode)));
    }

    private void ran(String invokeId, int run) {
        for (InstanceStatus status : List.of(InstanceStatus.RUNNING, InstanceStatus.SUCCESS)) {
            InvocationEvent report = new InstanceStatusReported(UUID.randomUUID().toString(), InvokeId.of(invokeId),
                    now, A, status, status.isTerminal() ? 0 : null, null, null, "", 0, null, run);
            fold.events.pipeInput(invokeId, report);
        }
    }

    /** A's latest target record on {@code invocation-state}. */
    private InstanceState target() {
        List<String> written = fold.states.readValuesToList();
        String last = written.get(written.size() - 1);
        return StopPlaneJson.mapper().readValue(last, InvocationTarget.class).instance();
    }
}
