package io.stopplane.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.MapJournal;
import io.stopplane.agent.testing.Processes;
import io.stopplane.agent.testing.RecordingReporter;
import io.stopplane.agent.testing.TestAgents;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On real processes, once for each kill method this machine has: the fallback must keep working where cgroup v2 cannot
 * be written (forced here), and is all that runs there.
 */
@ParameterizedClass(name = "kill method {0}")
@MethodSource("io.stopplane.agent.process.TestCgroups#killMethods")
class ProcessSupervisorIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final RecordingReporter reporter = new RecordingReporter();
    private final MapJournal journal = new MapJournal();
    private final String marker = Processes.uniqueSleepSeconds();
    private ProcessSupervisor supervisor;
    private TestCgroups cgroups;

    @Parameter
    String killMethod;

    @TempDir
    Path stateDir;

    @BeforeEach
    void createSupervisor() {
        cgroups = TestCgroups.of(killMethod);
        supervisor = cgroups.supervisor(stateDir, reporter, journal);
        assertThat(supervisor.killMethod().wireName()).isEqualTo(killMethod);
    }

    @AfterEach
    void shutDown() {
        cgroups.close(supervisor, marker, WAIT);
    }

    @Test
    void aCleanExitSucceedsWithItsMergedOutputFromTheInstanceWorkingArea() {
        RunCommand run = start("pwd; echo oops >&2");

        TaskOutcome outcome = awaitFinal(run);

        assertThat(reporter.statusesOf(key(run))).containsExactly(InstanceStatus.RUNNING, InstanceStatus.SUCCESS);
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.error()).isNull();
        assertThat(outcome.output()).isEqualTo(stateDir.resolve("instances/i-test0001") + "\noops\n");
        assertThat(journal.statusOf(key(run))).isEqualTo(InstanceStatus.SUCCESS);
        await().atMost(WAIT).until(() -> journal.reportedOf(key(run)) == InstanceStatus.SUCCESS);
        assertThat(stateDir.resolve("journal/i-test0001/" + run.invokeId())).as("its files go once reported")
                .doesNotExist();
    }

    @Test
    void aNonZeroExitFails() {
        RunCommand run = start("exit 3");

        TaskOutcome outcome = awaitFinal(run);

        assertThat(outcome.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.error()).isEqualTo(InstanceErrorCode.EXIT_CODE_NONZERO);
        assertThat(outcome.errorInfo()).isEqualTo("the command execution exit code is not zero");
    }

    @Test
    void aStopKillsTheTreeAndReportsTerminated() {
        RunCommand run = start("sleep " + marker + " & sleep " + marker);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 2);

        assertThat(supervisor.stop(key(run))).isTrue();

        TaskOutcome outcome = awaitFinal(run);
        assertThat(reporter.statusesOf(key(run))).containsExactly(InstanceStatus.RUNNING, InstanceStatus.TERMINATED);
        assertThat(outcome.exitCode()).isEqualTo(143);
        assertThat(outcome.error()).isEqualTo(InstanceErrorCode.EXECUTION_INTERRUPTED);
        await().atMost(WAIT).until(() -> Processes.running(marker).isEmpty());
        assertThat(supervisor.stop(key(run))).as("nothing left to stop").isFalse();
    }

    @Test
    void aTimeoutKillsTheTreeAndReportsTimeout() {
        RunCommand run = Commands.run(InvokeId.random(), TestAgents.INSTANCE,
                Commands.spec(CommandSpec.RUN_SHELL_SCRIPT, "sleep " + marker + " & sleep " + marker, 1, null, null));
        supervisor.start(run);

        TaskOutcome outcome = awaitFinal(run);

        assertThat(reporter.statusesOf(key(run))).containsExactly(InstanceStatus.RUNNING, InstanceStatus.TIMEOUT);
        assertThat(outcome.exitCode()).isEqualTo(143);
        assertThat(outcome.error()).isEqualTo(InstanceErrorCode.EXECUTION_TIMEOUT);
        await().atMost(WAIT).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void terminationModeProcessKillsTheShellOnly() {
        RunCommand run = Commands.run(InvokeId.random(), TestAgents.INSTANCE, new CommandSpec(CommandId.random(), "test",
                null, CommandSpec.RUN_SHELL_SCRIPT, "sleep " + marker + " & sleep " + marker + "; true", 60, null, null,
                "Process"));
        supervisor.start(run);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 2);

        supervisor.stop(key(run));

        TaskOutcome outcome = awaitFinal(run);
        assertThat(outcome.status()).isEqualTo(InstanceStatus.TERMINATED);
        assertThat(outcome.exitCode()).isEqualTo(143);
        assertThat(Processes.sleeping(marker)).as("the shell's children were left alone").hasSize(2);

        Processes.killAll(marker); // as if they ended on their own
        await().atMost(WAIT).untilAsserted(() -> assertThat(cgroups.left()).as("its cgroup, once they are gone")
                .isEmpty());
    }

    @Test
    void outputBeyond24KilobytesIsCountedAsDropped() {
        RunCommand run = start("head -c 30000 /dev/zero | tr '\\0' a");

        TaskOutcome outcome = awaitFinal(run);

        assertThat(outcome.status()).isEqualTo(InstanceStatus.SUCCESS);
        assertThat(outcome.output()).hasSize(24 * 1024).containsOnlyOnce("a".repeat(24 * 1024));
        assertThat(outcome.dropped()).isEqualTo(30_000 - 24 * 1024);
    }

    @Test
    void runsInTheGivenWorkingDirectory(@TempDir Path workingDir) {
        RunCommand run = Commands.run(InvokeId.random(), TestAgents.INSTANCE,
                Commands.spec(CommandSpec.RUN_SHELL_SCRIPT, "pwd", 60, System.getProperty("user.name"),
                        workingDir.toString()));
        supervisor.start(run);

        assertThat(awaitFinal(run).output()).isEqualTo(workingDir + "\n");
    }

    @Test
    void whatCannotRunHereIsReportedAndNeverStarted() {
        RunCommand batch = run(Commands.spec("RunBatScript", "touch x", 60, null, null));
        RunCommand missingDir = run(Commands.spec(CommandSpec.RUN_SHELL_SCRIPT, "touch x", 60, null, "/no/such/dir"));
        RunCommand otherUser = run(Commands.spec(CommandSpec.RUN_SHELL_SCRIPT, "touch x", 60, "no-such-user", null));

        List.of(batch, missingDir, otherUser).forEach(supervisor::start);

        assertThat(reporter.outcomesOf(key(batch))).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(InstanceStatus.INVALID));
        assertThat(reporter.outcomesOf(key(missingDir))).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(InstanceStatus.ERROR))
                .satisfies(o -> assertThat(o.error()).isEqualTo(InstanceErrorCode.DIRECTORY_NOT_EXISTS));
        assertThat(reporter.outcomesOf(key(otherUser))).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(InstanceStatus.ERROR))
                .satisfies(o -> assertThat(o.error()).isEqualTo(InstanceErrorCode.ACCOUNT_NOT_EXISTS));
        assertThat(stateDir.resolve("instances/i-test0001/x")).doesNotExist();
        assertThat(supervisor.runningCount()).isZero();
    }

    @Test
    void runsAsTheGivenUserWhenTheAgentIsRootAndRefusesOtherUsersOtherwise() {
        RunCommand run = Commands.run(InvokeId.random(), TestAgents.INSTANCE,
                Commands.spec(CommandSpec.RUN_SHELL_SCRIPT, "id -un; pwd; echo $HOME", 60, "nobody", "/tmp"));
        supervisor.start(run);

        TaskOutcome outcome = awaitFinal(run);
        if (new Accounts().agentIsRoot()) {
            assertThat(outcome.status()).isEqualTo(InstanceStatus.SUCCESS);
            assertThat(outcome.output()).isEqualTo("nobody\n/tmp\n/nonexistent\n");
        } else {
            assertThat(outcome.status()).isEqualTo(InstanceStatus.ERROR);
            assertThat(outcome.error()).isEqualTo(InstanceErrorCode.ACCOUNT_NOT_EXISTS);
        }
    }

    @Test
    void aStopCanShortenTheGracePeriod() {
        RunCommand run = start("trap '' TERM; sleep " + marker);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1);

        supervisor.stop(key(run), Duration.ZERO);

        TaskOutcome outcome = awaitFinal(run);
        assertThat(outcome.status()).isEqualTo(InstanceStatus.TERMINATED);
        assertThat(outcome.exitCode()).isEqualTo(137);
    }

    @Test
    void shutdownLeavesNoProcessBehind() {
        RunCommand run = start("trap '' TERM; sleep " + marker + " & sleep " + marker + " & wait");
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 2);

        supervisor.destroy();

        await().atMost(Duration.ofSeconds(2)).until(() -> Processes.running(marker).isEmpty());
        TaskOutcome outcome = reporter.finalOutcome(key(run));
        assertThat(outcome.status()).isEqualTo(InstanceStatus.TERMINATED);
        assertThat(outcome.exitCode()).isEqualTo(137);
        assertThat(outcome.error()).isEqualTo(InstanceErrorCode.EXECUTION_INTERRUPTED);
    }

    @Test
    void theFirstStepOfTheShutdownKillsAtOnceAndWhatIsHandedOverAfterItNeverStarts() {
        RunCommand before = start("sleep " + marker);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1);

        // Nothing else of the shutdown has run yet: the producers and the intake may still be waiting on a broker.
        supervisor.beginShutdown();

        // within the shutdown grace (2 s here) and a margin for a loaded machine, without destroy()
        await().atMost(Duration.ofSeconds(5)).until(() -> Processes.running(marker).isEmpty());
        assertThat(awaitFinal(before).error()).isEqualTo(InstanceErrorCode.EXECUTION_INTERRUPTED);

        // a command the intake hands over while it stops
        RunCommand after = start("touch " + stateDir.resolve("ran") + "; sleep " + marker);
        TaskOutcome outcome = awaitFinal(after);
        assertThat(reporter.statusesOf(key(after))).containsExactly(InstanceStatus.TERMINATED);
        assertThat(outcome.error()).isEqualTo(InstanceErrorCode.EXECUTION_INTERRUPTED);
        assertThat(stateDir.resolve("ran")).doesNotExist();
    }

    @Test
    void aTaskBeingStoppedWithALongGraceIsKilledWithinTheShutdownGrace() {
        RunCommand run = start("trap '' TERM; sleep " + marker);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1);
        supervisor.stop(key(run), Duration.ofMinutes(5)); // SIGTERM, ignored; SIGKILL only after 5 minutes

        supervisor.beginShutdown();

        // the shutdown grace is 2 s here: SIGKILLed after it, not after the stop's 5 minutes
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.running(marker).isEmpty());
        TaskOutcome outcome = awaitFinal(run);
        assertThat(outcome.status()).isEqualTo(InstanceStatus.TERMINATED);
        assertThat(outcome.exitCode()).isEqualTo(137);
    }

    private RunCommand start(String script) {
        RunCommand run = Commands.run(TestAgents.INSTANCE, script);
        supervisor.start(run);
        return run;
    }

    private static RunCommand run(CommandSpec spec) {
        return Commands.run(InvokeId.random(), TestAgents.INSTANCE, spec);
    }

    private TaskOutcome awaitFinal(RunCommand run) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> reporter.finalOutcome(key(run)), o -> true);
    }

    private static TaskKey key(RunCommand run) {
        return TaskKey.of(run);
    }
}
