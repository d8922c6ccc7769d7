package io.stopplane.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.MapJournal;
import io.stopplane.agent.testing.Processes;
import io.stopplane.agent.testing.RecordingReporter;
import io.stopplane.agent.testing.TestAgents;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the process-group fallback cannot find, killed by cgroup: processes that left the command's session and were
 * orphaned before the stop, re-parented to init, ignoring SIGTERM or being forked while the stop runs. Where cgroup v2
 * cannot be written there is no kill method that can, and this class has no case (the fallback's own tests run there).
 */
@ParameterizedClass(name = "kill method {0}", allowZeroInvocations = true)
@MethodSource("io.stopplane.agent.process.TestCgroups#cgroupWhereWritable")
class EscapeesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

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
        assertThat(supervisor.killMethod()).isEqualTo(KillMethod.CGROUP);
    }

    @AfterEach
    void shutDown() {
        cgroups.close(supervisor, marker, WAIT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // a subshell starts a new session's sleep and exits: the sleep is orphaned, in no group of the command's
        "(setsid sleep M &); sleep M | 2",
        // the shape of every service start
        "nohup setsid sh -c 'sleep M' >/dev/null 2>&1 & sleep M | 2",
        // a double fork: the grandchild is re-parented to init (or the nearest subreaper) at once
        "sh -c '(setsid sleep M &) &'; sleep M | 2",
        // a child that ignores SIGTERM, which only cgroup.kill ends
        "sh -c \"trap '' TERM; setsid sleep M\" & sleep M | 2"})
    void noEscapeeOutlivesAStop(String script, int sleeps) {
        RunCommand run = start(script.replace("M", marker));
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == sleeps);
        List<ProcessHandle> before = Processes.sleeping(marker);

        assertThat(supervisor.stop(TaskKey.of(run))).isTrue();

        assertThat(awaitStatuses(run)).containsExactly(InstanceStatus.RUNNING, InstanceStatus.TERMINATED);
        assertThat(before).noneMatch(Processes::isRunning);
        await().atMost(WAIT).until(() -> Processes.running(marker).isEmpty()); // the wrapper and its reader too
        await().atMost(WAIT).until(() -> !Files.exists(cgroups.of(TaskKey.of(run))));
    }

    @Test
    void aForkLoopRunningWhenTheStopComesDiesWhole() {
        // each round leaves an orphan in a session of its own; the stop freezes the cgroup in the middle of it. The
        // command then sleeps: on a loaded machine the loop may be over when the stop comes, and the command must still
        // be running for the stop to kill it (orphans of a command that ended are its background, and stay).
        RunCommand run = start("i=0; while [ $i -lt 400 ]; do (setsid sleep " + marker + " &); i=$((i+1)); done; "
                + "sleep " + marker);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() >= 10);

        supervisor.stop(TaskKey.of(run));

        assertThat(awaitStatuses(run)).containsExactly(InstanceStatus.RUNNING, InstanceStatus.TERMINATED);
        await().atMost(WAIT).until(() -> Processes.running(marker).isEmpty());
        await().atMost(WAIT).until(() -> !Files.exists(cgroups.of(TaskKey.of(run))));
    }

    @Test
    void aRunningCommandCostsAtMostThreeProcessesBesidesItsOwnAndTheWrapperLeavesNothingBehind() {
        RunCommand run = start("sleep " + marker);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1);
        Path cgroup = cgroups.of(TaskKey.of(run));
        Set<Long> commands = new HashSet<>(new TaskCgroup(cgroup).procs());
        ProcessHandle wrapper = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("stopplane-wrapper") && c.contains(marker))
                        .orElse(false))
                .findFirst().orElseThrow();

        List<ProcessHandle> agentSide = java.util.stream.Stream.concat(java.util.stream.Stream.of(wrapper),
                wrapper.descendants()).filter(p -> !commands.contains(p.pid())).toList();

        assertThat(agentSide).as("wrapper, reader and head").hasSizeLessThanOrEqualTo(3);
        assertThat(commands).as("the command's shell (or the sleep it exec'd)").isNotEmpty()
                .allMatch(pid -> agentSide.stream().noneMatch(p -> p.pid() == pid));
        supervisor.stop(TaskKey.of(run));
        awaitStatuses(run);
        await().atMost(WAIT).until(() -> agentSide.stream().noneMatch(Processes::isRunning));
    }

    private RunCommand start(String script) {
        RunCommand run = Commands.run(TestAgents.INSTANCE, script);
        supervisor.start(run);
        return run;
    }

    private List<InstanceStatus> awaitStatuses(RunCommand run) {
        await().atMost(WAIT).ignoreExceptions().until(() -> reporter.finalOutcome(TaskKey.of(run)), o -> true);
        return reporter.statusesOf(TaskKey.of(run));
    }
}
