package io.stopplane.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On real processes: what survives a stop is what the customers of every other agent complain about. */
class ProcessTreeKillerTest {

    private final ShellLauncher launcher = new ShellLauncher();
    private final ProcessTreeKiller killer = new ProcessTreeKiller();
    private final String marker = Processes.uniqueSleepSeconds();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() {
        Processes.killAll(marker);
    }

    @Test
    void killsBackgroundChildrenOrphansAndProcessesThatLeftTheGroup() throws Exception {
        String sleep = "sleep " + marker;
        // a background child, an orphan (its subshell exits at once), a child in a session of its own, a foreground one
        Process shell = launcher.launch(
                sleep + " & (" + sleep + " &) ; setsid " + sleep + " & " + sleep + "; wait", dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 4);
        var pids = Processes.running(marker);

        Integer exitCode = killer.kill(shell, Duration.ofSeconds(2));

        assertThat(exitCode).isEqualTo(143);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(Processes::isRunning));
        assertThat(Processes.running(marker)).isEmpty();
    }

    @Test
    void givesATermTrapItsGracePeriod() throws Exception {
        Path cleaned = dir.resolve("cleaned");
        Process shell = launcher.launch(
                "trap 'echo cleaned > " + cleaned + "; exit 0' TERM; sleep " + marker + " & wait", dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        Integer exitCode = killer.kill(shell, Duration.ofSeconds(5));

        assertThat(exitCode).isZero();
        assertThat(cleaned).hasContent("cleaned");
        await().atMost(Duration.ofSeconds(5)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void sigkillsWhatIgnoresSigtermOnceTheGraceIsOver() throws Exception {
        Process shell = launcher.launch("trap '' TERM; sleep " + marker + " & sleep " + marker, dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 2);
        long start = System.nanoTime();

        Integer exitCode = killer.kill(shell, Duration.ofSeconds(2));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(exitCode).isEqualTo(137);
        await().atMost(Duration.ofSeconds(5)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void aShellThatAlreadyExitedKeepsItsOwnExitCode() throws Exception {
        Process shell = launcher.launch("exit 0", dir);
        shell.waitFor();

        assertThat(killer.kill(shell, Duration.ofSeconds(2))).isZero();
    }

    @Test
    void theShellLeadsItsOwnProcessGroup() throws Exception {
        Process shell = launcher.launch("sleep " + marker, dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.sleeping(marker).size() == 1);

        assertThat(ProcStat.of(shell.pid())).hasValueSatisfying(s -> assertThat(s.processGroup()).isEqualTo(shell.pid()));
        killer.kill(shell, Duration.ofSeconds(2));
    }
}
