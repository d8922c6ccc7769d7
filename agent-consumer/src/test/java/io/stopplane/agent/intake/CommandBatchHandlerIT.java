package io.stopplane.agent.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.process.ProcessSupervisor;
import io.stopplane.agent.report.TaskReports;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.MapJournal;
import io.stopplane.agent.testing.Processes;
import io.stopplane.agent.testing.RecordingReporter;
import io.stopplane.agent.testing.TestAgents;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandBatchHandlerIT {

    private final RecordingReporter reporter = new RecordingReporter();
    private final MapJournal journal = new MapJournal();
    private final String marker = Processes.uniqueSleepSeconds();
    private ProcessSupervisor supervisor;
    private CommandBatchHandler handler;

    @TempDir
    Path stateDir;

    @BeforeEach
    void createHandler() {
        TaskReports reports = new TaskReports(reporter, journal);
        supervisor = new ProcessSupervisor(TestAgents.properties(stateDir), reports, journal);
        handler = new CommandBatchHandler(supervisor, journal, reports, Duration.ofSeconds(60), Clock.systemUTC());
    }

    @AfterEach
    void shutDown() {
        supervisor.destroy();
        Processes.killAll(marker);
    }

    @Test
    void aRunWhoseStopIsInTheSameBatchIsCancelledAndNeverStarted() {
        Path sideEffect = stateDir.resolve("ran");
        RunCommand run = Commands.run(TestAgents.INSTANCE, "touch " + sideEffect + "; sleep " + marker);

        handler.handle(List.of(run, Commands.stop(run)));

        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.CANCELLED);
        assertThat(supervisor.runningCount()).isZero();
        assertThat(sideEffect).doesNotExist();
    }

    @Test
    void aStopOfAnUnknownTaskIsAcknowledgedAsCancelledAndItsRunNeverStarts() {
        Path sideEffect = stateDir.resolve("ran");
        RunCommand run = Commands.run(TestAgents.INSTANCE, "touch " + sideEffect);

        handler.handle(List.of(Commands.stop(run)));
        handler.handle(List.of(run));

        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.CANCELLED);
        assertThat(sideEffect).doesNotExist();
    }

    @Test
    void aRedeliveredRunIsIgnoredAndSoIsTheStopOfAFinishedTask() {
        RunCommand run = Commands.run(TestAgents.INSTANCE, "echo once >> " + stateDir.resolve("count"));
        handler.handle(List.of(run));
        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.statusesOf(TaskKey.of(run)).size() == 2);

        handler.handle(List.of(run, run));
        handler.handle(List.of(Commands.stop(run)));

        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.RUNNING, InstanceStatus.SUCCESS);
        assertThat(stateDir.resolve("count")).hasContent("once");
    }

    @Test
    void aStopOfARunningTaskTerminatesIt() {
        RunCommand run = Commands.run(TestAgents.INSTANCE, "sleep " + marker);
        handler.handle(List.of(run));
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        handler.handle(List.of(Commands.stop(run)));

        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.statusesOf(TaskKey.of(run)).size() == 2);
        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.RUNNING,
                InstanceStatus.TERMINATED);
        assertThat(reporter.finalOutcome(TaskKey.of(run)).exitCode()).isEqualTo(143);
    }

    @Test
    void aRunDeliveredAfterItsDeadlineIsAbortedAndNeverStarted() {
        Path sideEffect = stateDir.resolve("ran");
        RunCommand fresh = Commands.run(TestAgents.INSTANCE, "true");
        RunCommand stale = new RunCommand(fresh.commandEventId(), fresh.invokeId(), fresh.instanceId(),
                Instant.now().minusSeconds(61), Commands.spec(CommandSpec.RUN_SHELL_SCRIPT, "touch " + sideEffect, 60,
                        null, null));

        handler.handle(List.of(stale));

        assertThat(reporter.outcomesOf(TaskKey.of(stale))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(InstanceStatus.ABORTED);
            assertThat(o.error()).isEqualTo(InstanceErrorCode.DELIVERY_TIMEOUT);
        });
        assertThat(sideEffect).doesNotExist();
    }

    @Test
    void theDeliveryTimeoutACommandCarriesIsTheOneThatCounts() {
        Path sideEffect = stateDir.resolve("ran");
        // the API said 5 s, the agent's own setting (60 s, for commands without one) does not apply
        RunCommand late = issued(Instant.now().minusSeconds(10), "touch " + sideEffect, 5);
        // the API said 2 min: 90 s after it was issued it still starts
        RunCommand inTime = issued(Instant.now().minusSeconds(90), "true", 120);

        handler.handle(List.of(late, inTime));

        assertThat(reporter.outcomesOf(TaskKey.of(late))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(InstanceStatus.ABORTED);
            assertThat(o.error()).isEqualTo(InstanceErrorCode.DELIVERY_TIMEOUT);
        });
        assertThat(sideEffect).doesNotExist();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> reporter.statusesOf(TaskKey.of(inTime)).contains(InstanceStatus.SUCCESS));
    }

    private static RunCommand issued(Instant at, String script, int deliveryTimeoutSeconds) {
        CommandSpec spec = new CommandSpec(CommandId.random(), "test", null, CommandSpec.RUN_SHELL_SCRIPT, script, 60,
                null, null, null, deliveryTimeoutSeconds);
        return new RunCommand(UUID.randomUUID().toString(), InvokeId.random(), InstanceId.of(TestAgents.INSTANCE), at,
                spec);
    }

    @Test
    void aStopMayOverrideTheGracePeriod() {
        RunCommand run = Commands.run(TestAgents.INSTANCE, "trap '' TERM; sleep " + marker);
        handler.handle(List.of(run));
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);
        StopCommand stop = Commands.stop(run);

        handler.handle(List.of(new StopCommand(stop.commandEventId(), stop.invokeId(), stop.instanceId(),
                stop.issuedAt(), stop.requestId(), 0)));

        await().atMost(Duration.ofSeconds(2)).until(() -> reporter.statusesOf(TaskKey.of(run)).size() == 2);
        assertThat(reporter.finalOutcome(TaskKey.of(run)).exitCode()).isEqualTo(137);
    }

    @Test
    void aDuplicateStopIsAcknowledgedAndChangesNothing() {
        RunCommand run = Commands.run(TestAgents.INSTANCE, "sleep " + marker);
        handler.handle(List.of(run));
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        handler.handle(List.of(Commands.stop(run), Commands.stop(run)));
        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.statusesOf(TaskKey.of(run)).size() == 2);
        handler.handle(List.of(Commands.stop(run)));

        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.RUNNING,
                InstanceStatus.TERMINATED);
    }

    /** Run {@code n} of the schedule {@code first} belongs to: the same invocation and instance, its own number. */
    private static RunCommand runOf(RunCommand first, int n, String content) {
        return new RunCommand(first.commandEventId() + "/" + n, first.invokeId(), first.instanceId(),
                Instant.now(), first.command().withContent(content), n);
    }

    @Test
    void eachRunOfAScheduleIsATaskOfItsOwnAndRunsOnceEachAcrossRedeliveries() {
        RunCommand base = Commands.run(TestAgents.INSTANCE, "true");
        Path count = stateDir.resolve("count");
        RunCommand first = runOf(base, 1, "echo 1 >> " + count);
        RunCommand second = runOf(base, 2, "echo 2 >> " + count);
        handler.handle(List.of(first));
        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.statusesOf(TaskKey.of(first)).size() == 2);
        handler.handle(List.of(first, second, second));
        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.statusesOf(TaskKey.of(second)).size() == 2);

        assertThat(TaskKey.of(first)).isNotEqualTo(TaskKey.of(second));
        assertThat(reporter.statusesOf(TaskKey.of(second))).containsExactly(InstanceStatus.RUNNING,
                InstanceStatus.SUCCESS);
        assertThat(count).hasContent("1\n2");
    }

    @Test
    void aStopOfAScheduleKillsTheRunningRunAndNoLaterRunStarts() {
        RunCommand base = Commands.run(TestAgents.INSTANCE, "true");
        Path sideEffect = stateDir.resolve("ran");
        RunCommand running = runOf(base, 1, "sleep " + marker);
        handler.handle(List.of(running));
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        handler.handle(List.of(Commands.stop(running)));
        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.statusesOf(TaskKey.of(running)).size() == 2);
        // a run the dispatcher issued before it folded the stop, read after it
        handler.handle(List.of(runOf(base, 2, "touch " + sideEffect)));

        assertThat(reporter.statusesOf(TaskKey.of(running))).containsExactly(InstanceStatus.RUNNING,
                InstanceStatus.TERMINATED);
        assertThat(reporter.statusesOf(TaskKey.of(running).invocation())).as("the kill was the stop's answer")
                .isEmpty();
        assertThat(sideEffect).doesNotExist();
        assertThat(Processes.sleeping(marker)).isEmpty();
    }

    @Test
    void aStopOfAScheduleWithNoRunInProgressIsCancelledForTheInvocation() {
        RunCommand base = Commands.run(TestAgents.INSTANCE, "true");
        Path sideEffect = stateDir.resolve("ran");
        RunCommand first = runOf(base, 1, "true");
        handler.handle(List.of(first));
        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.statusesOf(TaskKey.of(first)).size() == 2);

        handler.handle(List.of(Commands.stop(first), runOf(base, 2, "touch " + sideEffect)));

        assertThat(reporter.statusesOf(TaskKey.of(first).invocation())).containsExactly(InstanceStatus.CANCELLED);
        assertThat(sideEffect).doesNotExist();
    }
}
