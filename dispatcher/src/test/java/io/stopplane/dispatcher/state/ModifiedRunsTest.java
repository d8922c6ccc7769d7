package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ModifyInvocationAttribute's event through the fold's topology on the driver's wall clock: the runs after it run the
 * new content (the run in progress keeps the old), an added instance gets runs of its own, the state's record under
 * the invocation's key is written whole again, and a timer armed for the old revision neither fires a run nor keeps
 * the new revision's timer for the same run from firing.
 */
class ModifiedRunsTest {

    private static final InstanceId A = InstanceId.of("i-modify0001");
    private static final InstanceId B = InstanceId.of("i-modify0002");
    private static final String ID = "t-modify0001";

    private Instant now = FoldDriver.T0;
    private final FoldDriver fold = new FoldDriver(FoldDriver.deadlines(Duration.ofSeconds(30), Duration.ofDays(1)),
            A, id -> new AgentHeartbeat(id, RegionId.of("cn-hangzhou"), null, "1", "h", now, null));

    @AfterEach
    void close() {
        fold.close();
    }

    @Test
    void runsAfterAModificationRunTheNewContentAndAnAddedInstanceJoins() {
        create();
        List<TimeoutDetected> first = scanUntil(60);
        assertThat(first).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.RUN);
            assertThat(t.armedFor()).isZero();
        });
        assertThat(runs()).singleElement().satisfies(r -> assertThat(r.command().content()).isEqualTo("echo one"));
        ran(A, 1);
        fold.states.readRecordsToList();

        scanUntil(100);
        modify("echo two", B);
        List<TestRecord<String, String>> written = fold.states.readRecordsToList();
        InvocationState head = StopPlaneJson.mapper().readValue(written.stream().filter(r -> r.key().equals(ID))
                .reduce((a, b) -> b).orElseThrow().value(), InvocationState.class);
        assertThat(head.command().content()).as("the state as created is written whole again").isEqualTo("echo two");
        assertThat(head.schedule().revision()).isEqualTo(1);
        assertThat(head.instances()).extracting(i -> i.instanceId()).containsExactly(A, B);
        assertThat(written).extracting(TestRecord::key).contains(InvocationState.targetKey(InvokeId.of(ID), B));

        List<TimeoutDetected> second = scanUntil(120);
        assertThat(second).hasSize(2).allSatisfy(t -> assertThat(t.armedFor()).isEqualTo(1));
        assertThat(runs()).hasSize(2).allSatisfy(r -> assertThat(r.command().content()).isEqualTo("echo two"))
                .satisfiesExactlyInAnyOrder(r -> {
                    assertThat(r.instanceId()).isEqualTo(A);
                    assertThat(r.run()).isEqualTo(2);
                }, r -> {
                    assertThat(r.instanceId()).isEqualTo(B);
                    assertThat(r.run()).isEqualTo(1);
                });
    }

    @Test
    void aTimerOfTheOldRevisionDeliveredAfterTheModificationFiresNothingAndTheRunIsNeitherLostNorDoubled() {
        create();
        scanUntil(60);
        runs();
        ran(A, 1);
        scanUntil(119);
        modify("echo two");
        // armed for revision 0 before the modification, in the log after it (the scan and the API race)
        fold(new TimeoutDetected(UUID.randomUUID().toString(), InvokeId.of(ID), now, A, TimeoutDetected.Kind.RUN,
                null, null, 2, null, 0));
        assertThat(runs()).as("a timer armed for an old revision fires nothing").isEmpty();

        List<TimeoutDetected> fresh = scanUntil(120);
        assertThat(fresh).as("run 2 is not lost: the timers arm it again for revision 1").singleElement()
                .satisfies(t -> {
                    assertThat(t.run()).isEqualTo(2);
                    assertThat(t.armedFor()).isEqualTo(1);
                });
        fresh.forEach(this::fold); // a second copy, as after a restart
        assertThat(runs()).singleElement().satisfies(r -> {
            assertThat(r.run()).isEqualTo(2);
            assertThat(r.command().content()).isEqualTo("echo two");
        });
        assertThat(scanUntil(130)).as("run 2 waits to start: nothing more is due").isEmpty();
    }

    @Test
    void theRunInProgressKeepsItsContentAndItsReportsCount() {
        create();
        scanUntil(60);
        assertThat(runs()).singleElement().satisfies(r -> assertThat(r.command().content()).isEqualTo("echo one"));
        modify("echo two");
        assertThat(runs()).as("nothing is sent again for the run in progress").isEmpty();
        ran(A, 1);
        scanUntil(120);
        assertThat(runs()).singleElement().satisfies(r -> {
            assertThat(r.run()).isEqualTo(2);
            assertThat(r.command().content()).isEqualTo("echo two");
        });
    }

    @Test
    void aNewFrequencyCountsFromTheModification() {
        create();
        scanUntil(30);
        fold.events.pipeInput(ID, new InvocationModified(UUID.randomUUID().toString(), InvokeId.of(ID), now, null,
                null, "rate(20s)", "UTC", List.of(), 1, new Caller("1001", "AK", "127.0.0.1", "R")));
        assertThat(scanUntil(49)).as("not on the old rate's phase, nor before one new interval").isEmpty();
        assertThat(scanUntil(50)).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TimeoutDetected.Kind.RUN);
            assertThat(t.occurredAt()).isEqualTo(FoldDriver.T0.plusSeconds(50));
        });
        assertThat(runs()).singleElement().satisfies(r -> assertThat(r.run()).isEqualTo(1));
    }

    /**
     * Moves the wall clock second by second to {@code seconds} after T0: the timers that fired (the driver folds each
     * as it fires: the fold's sink writes to the topic it reads).
     */
    private List<TimeoutDetected> scanUntil(long seconds) {
        List<TimeoutDetected> fired = new ArrayList<>();
        while (now.isBefore(FoldDriver.T0.plusSeconds(seconds))) {
            now = now.plusSeconds(1);
            fold.driver.advanceWallClockTime(Duration.ofSeconds(1));
            fold.timers.readValuesToList().stream().map(TimeoutDetected.class::cast).forEach(fired::add);
        }
        return fired;
    }

    /** A timer delivered (again). */
    private void fold(TimeoutDetected t) {
        fold.events.pipeInput(t.invokeId().value(), t);
    }

    private List<RunCommand> runs() {
        List<InstanceCommand> sent = fold.commands.readValuesToList();
        return sent.stream().map(RunCommand.class::cast).toList();
    }

    private void create() {
        CommandSpec spec = new CommandSpec(CommandId.of("c-modify001"), "n", "", "RunShellScript", "echo one", 10,
                "root", "/", "Process", null);
        fold.events.pipeInput(ID, new InvocationCreated("e-" + ID, InvokeId.of(ID), now,
                RegionId.of("cn-hangzhou"), spec, List.of(A), new Caller("1001", "AK", "127.0.0.1", "R"), null, null,
                null, new Schedule("rate(60s)", "UTC")));
    }

    private void modify(String content, InstanceId... added) {
        fold.events.pipeInput(ID, new InvocationModified(UUID.randomUUID().toString(), InvokeId.of(ID), now, content,
                null, null, null, List.of(added), 1, new Caller("1001", "AK", "127.0.0.1", "R")));
    }

    private void ran(InstanceId id, int run) {
        for (InstanceStatus status : List.of(InstanceStatus.RUNNING, InstanceStatus.SUCCESS)) {
            InvocationEvent report = new InstanceStatusReported(UUID.randomUUID().toString(), InvokeId.of(ID),
                    now, id, status, status.isTerminal() ? 0 : null, null, null, "", 0, null, run);
            fold.events.pipeInput(ID, report);
        }
    }
}
