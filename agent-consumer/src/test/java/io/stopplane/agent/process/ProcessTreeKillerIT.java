package io.stopplane.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On real processes: what survives a stop is what the customers of every other agent complain about. */
class ProcessTreeKillerIT {

    private final ShellLauncher launcher = new ShellLauncher();
    private final ProcessTreeKiller killer = new ProcessTreeKiller();
    private final String marker = Processes.uniqueSleepSeconds();

    @TempDir
    Path dir;

    private final List<ShellLauncher.Launched> launched = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        Processes.killAll(marker);
        // the wrapper writes into the task's directory until it exits (after the shell): then @TempDir can go
        await().atMost(Duration.ofSeconds(10)).until(() -> launched.stream().noneMatch(l -> l.wrapper().isAlive()));
    }

    @Test
    void killsBackgroundChildrenOrphansAndProcessesThatLeftTheGroup() throws Exception {
        String sleep = "sleep " + marker;
        // a background child, an orphan (its subshell exits at once), a child in a session of its own, a foreground one
        ShellLauncher.Launched shell = launch(sleep + " & (" + sleep + " &) ; setsid " + sleep + " & " + sleep + "; wait");
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 4);
        var pids = Processes.sleeping(marker);

        Integer exitCode = kill(shell, Duration.ofSeconds(2));

        assertThat(exitCode).isEqualTo(143);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(Processes::isRunning));
        // the wrapper and its output reader carry the script on their command line too: they go once all is over
        await().atMost(Duration.ofSeconds(5)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void givesATermTrapItsGracePeriod() throws Exception {
        Path cleaned = dir.resolve("cleaned");
        ShellLauncher.Launched shell = launch(
                "trap 'echo cleaned > " + cleaned + "; exit 0' TERM; sleep " + marker + " & wait");
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        Integer exitCode = kill(shell, Duration.ofSeconds(5));

        assertThat(exitCode).isZero();
        assertThat(cleaned).hasContent("cleaned");
        await().atMost(Duration.ofSeconds(5)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void sigkillsWhatIgnoresSigtermOnceTheGraceIsOver() throws Exception {
        ShellLauncher.Launched shell = launch("trap '' TERM; sleep " + marker + " & sleep " + marker);
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 2);
        long start = System.nanoTime();

        Integer exitCode = kill(shell, Duration.ofSeconds(2));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(exitCode).isEqualTo(137);
        await().atMost(Duration.ofSeconds(5)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void aShellThatAlreadyExitedKeepsItsOwnExitCode() throws Exception {
        ShellLauncher.Launched shell = launch("exit 0");
        shell.exit().get();

        assertThat(kill(shell, Duration.ofSeconds(2))).isZero();
    }

    @Test
    void theShellLeadsItsOwnSessionAndProcessGroupApartFromItsWrapper() throws Exception {
        ShellLauncher.Launched shell = launch("sleep " + marker);
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        assertThat(ProcStat.of(shell.pid())).hasValueSatisfying(s -> {
            assertThat(s.processGroup()).isEqualTo(shell.pid());
            assertThat(s.parent()).as("the wrapper waits for it").isEqualTo(shell.wrapper().pid());
        });
        assertThat(ProcStat.of(shell.wrapper().pid())).hasValueSatisfying(
                s -> assertThat(s.processGroup()).isNotEqualTo(shell.pid()).isNotEqualTo(ProcessHandle.current().pid()));
        kill(shell, Duration.ofSeconds(2));
    }

    @Test
    void theWrapperWritesTheExitStatusAndTheBoundedOutput() throws Exception {
        ShellLauncher.Launched shell = launch("head -c 30000 /dev/zero | tr '\\0' a; echo; exit 7");

        assertThat(shell.exit().get()).isEqualTo(7);
        assertThat(shell.files().exitCode()).hasValue(7);
        BoundedOutput.Captured output = shell.files().output(Duration.ofSeconds(5));
        assertThat(output.text()).hasSize(BoundedOutput.LIMIT).containsOnlyOnce("a".repeat(BoundedOutput.LIMIT));
        assertThat(output.dropped()).isEqualTo(30_001 - BoundedOutput.LIMIT);
    }

    @Test
    void theCommandCanTrapSigintAlthoughItStartsInTheBackgroundOfTheWrapper() throws Exception {
        ShellLauncher.Launched shell = launch("trap 'echo interrupted; exit 5' INT; sleep " + marker + " & wait");
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        new ProcessBuilder("kill", "-INT", Long.toString(shell.pid())).start().waitFor();

        assertThat(shell.exit().get()).isEqualTo(5);
        assertThat(shell.files().output(Duration.ofSeconds(1)).text()).isEqualTo("interrupted\n");
    }

    private ShellLauncher.Launched launch(String script) throws Exception {
        ShellLauncher.Launched shell = launcher.launch(TaskFiles.create(dir.resolve("task")), script, dir, List.of(),
                null);
        launched.add(shell);
        return shell;
    }

    private Integer kill(ShellLauncher.Launched shell, Duration grace) {
        return killer.kill(shell.shell(), shell.pid(), grace, shell.exit());
    }
}
