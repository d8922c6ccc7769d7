package io.stopplane.agent.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.process.ProcessSupervisor;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.MapJournal;
import io.stopplane.agent.testing.Processes;
import io.stopplane.agent.testing.RecordingReporter;
import io.stopplane.agent.testing.TestAgents;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandBatchHandlerTest {

    private final RecordingReporter reporter = new RecordingReporter();
    private final MapJournal journal = new MapJournal();
    private final String marker = Processes.uniqueSleepSeconds();
    private ProcessSupervisor supervisor;
    private CommandBatchHandler handler;

    @TempDir
    Path stateDir;

    @BeforeEach
    void createHandler() {
        supervisor = new ProcessSupervisor(TestAgents.properties(stateDir), reporter, journal);
        handler = new CommandBatchHandler(supervisor, journal, reporter);
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
}
