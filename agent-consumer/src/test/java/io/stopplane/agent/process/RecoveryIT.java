package io.stopplane.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.report.StatusReporter;
import io.stopplane.agent.report.TaskReports;
import io.stopplane.agent.task.FileTaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.Processes;
import io.stopplane.agent.testing.RecordingReporter;
import io.stopplane.agent.testing.TestAgents;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A restart of the agent on the same state directory. The first agent "dies" by being abandoned: its reports are never
 * acknowledged and it is never shut down, so its commands keep running, as after a SIGKILL. Once for each kill method
 * this machine has.
 */
@ParameterizedClass(name = "kill method {0}")
@MethodSource("io.stopplane.agent.process.TestCgroups#killMethods")
class RecoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    // A broker that never answers: what the dead agent had sent counts as unacknowledged.
    private static final StatusReporter DEAD = (key, outcome) -> new CompletableFuture<>();

    private final String marker = Processes.uniqueSleepSeconds();
    private final RecordingReporter reporter = new RecordingReporter();
    private final List<ProcessSupervisor> supervisors = new ArrayList<>();
    private AgentProperties props;
    private TestCgroups cgroups;

    @Parameter
    String killMethod;

    @TempDir
    Path stateDir;

    @BeforeEach
    void properties() {
        props = TestAgents.properties(stateDir);
        cgroups = TestCgroups.of(killMethod);
    }

    @AfterEach
    void shutDown() {
        try {
            supervisors.forEach(ProcessSupervisor::destroy);
        } finally {
            Processes.killAll(marker);
            cgroups.close();
        }
    }

    @Test
    void aCommandStillRunningIsAdoptedNeverStartedAgainAndCanStillBeStopped() throws Exception {
        Path count = stateDir.resolve("count");
        RunCommand run = Commands.run(TestAgents.INSTANCE, "echo started >> " + count + "; sleep " + marker);
        agent(DEAD).start(run);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1);
        ProcessHandle sleep = Processes.sleeping(marker).get(0);

        ProcessSupervisor restarted = agent(reporter);
        restarted.recover();

        assertThat(restarted.runningCount()).isOne();
        assertThat(restarted.stop(TaskKey.of(run))).isTrue();
        TaskOutcome outcome = awaitFinal(run);
        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.RUNNING,
                InstanceStatus.TERMINATED);
        assertThat(outcome.exitCode()).isEqualTo(143);
        assertThat(Files.readAllLines(count)).containsExactly("started");
        await().atMost(WAIT).until(() -> !Processes.isRunning(sleep) && Processes.running(marker).isEmpty());
    }

    @Test
    void aCommandThatEndedWhileTheAgentWasAwayIsReportedWithItsRealExitStatus() {
        Path go = stateDir.resolve("go");
        RunCommand run = Commands.run(TestAgents.INSTANCE,
                "echo waiting; while [ ! -e " + go + " ]; do sleep 0.05; done; exit 3 # " + marker);
        agent(DEAD).start(run);
        Path exit = props.taskDir(run.instanceId(), run.invokeId()).resolve("exit");
        await().atMost(WAIT).until(() -> Files.exists(props.taskDir(run.instanceId(), run.invokeId()).resolve("pid")));
        touch(go);
        await().atMost(WAIT).until(() -> Files.exists(exit));

        agent(reporter).recover();

        TaskOutcome outcome = awaitFinal(run);
        assertThat(outcome.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.output()).isEqualTo("waiting\n");
        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.RUNNING, InstanceStatus.FAILED);
    }

    @Test
    void aTaskTakenInChargeButNeverStartedIsReportedInterruptedAndNeverRuns() {
        RunCommand run = Commands.run(TestAgents.INSTANCE, "touch " + stateDir.resolve("ran"));
        FileTaskJournal journal = journal();
        journal.admit(TaskKey.of(run));
        journal.destroy();

        agent(reporter).recover();

        assertThat(awaitFinal(run)).satisfies(o -> {
            assertThat(o.status()).isEqualTo(InstanceStatus.ERROR);
            assertThat(o.error()).isEqualTo(InstanceErrorCode.EXECUTION_INTERRUPTED);
        });
        assertThat(stateDir.resolve("ran")).doesNotExist();
    }

    @Test
    void anOutcomeNotAcknowledgedIsSentAgainAndThenNeverMore() {
        RunCommand run = Commands.run(TestAgents.INSTANCE, "echo hi");
        ProcessSupervisor dead = agent(DEAD);
        dead.start(run);
        await().atMost(WAIT).until(() -> Files.readString(stateDir.resolve("journal/journal.jsonl"))
                .contains("\"finished\""));

        agent(reporter).recover();
        assertThat(awaitFinal(run).output()).as("kept in the task's files until acknowledged").isEqualTo("hi\n");
        await().atMost(WAIT).until(() -> Files.readString(stateDir.resolve("journal/journal.jsonl"))
                .contains("\"status\":\"Success\"}"));
        agent(new RecordingReporter()).recover();

        // Running too: the dead agent's Running was never acknowledged either
        assertThat(reporter.statusesOf(TaskKey.of(run))).containsExactly(InstanceStatus.RUNNING, InstanceStatus.SUCCESS);
    }

    private ProcessSupervisor agent(StatusReporter reports) {
        FileTaskJournal journal = journal();
        ProcessSupervisor supervisor = new ProcessSupervisor(props, new TaskReports(reports, journal), journal,
                cgroups.control());
        if (reports != DEAD) {
            supervisors.add(supervisor);
        }
        return supervisor;
    }

    private FileTaskJournal journal() {
        return new FileTaskJournal(props.journalDir(), List.of(InstanceId.of(TestAgents.INSTANCE)), props.journalRetention(),
                Clock.systemUTC());
    }

    private TaskOutcome awaitFinal(RunCommand run) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> reporter.finalOutcome(TaskKey.of(run)), o -> true);
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
