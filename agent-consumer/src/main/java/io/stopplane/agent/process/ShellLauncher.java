package io.stopplane.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Starts a command's {@code /bin/sh -c <script>} through a small wrapper shell that outlives the agent, so that a command
 * survives an agent crash and what it did can still be proven afterwards:
 * <ul>
 * <li>the wrapper runs in a session of its own (a signal to the agent's group or terminal does not reach it) and starts
 *     the command's shell as the leader of yet another session and process group: a stop signals that group and never
 *     hits the wrapper or the agent;</li>
 * <li>the wrapper is the shell's parent: it reaps it and writes its exit status to {@code exit} (128 + signal for a
 *     signal death, as the JDK reports it), which nobody else could learn once the agent is gone;</li>
 * <li>output goes through a FIFO to a reader started by the wrapper ({@code dd bs=1 count=24K} into {@code out}, then
 *     {@code wc -c} of the rest into {@code dropped}), not through a pipe to the agent: a command writing after the agent
 *     died would be killed by SIGPIPE, and the disk use stays bounded however much it writes. One-byte blocks read
 *     exactly 24 KB and leave the rest to {@code wc}, and write through at once (no stdio buffer), so the output of a
 *     command whose background child keeps the FIFO open is there when it is reported. {@code wc} replaces the reader's
 *     subshell ({@code exec}): one process less to start and to reap per command.</li>
 * <li>each of those files is one line written by one {@code write} into a new file, with the shell's builtin
 *     {@code echo} (or {@code wc}): no rename, so no {@code mv} process per file, which is most of what a stop costs
 *     beyond the kill itself. A reader takes a file without its final newline as not written yet.</li>
 * </ul>
 * Asynchronous commands of a non-interactive shell start with SIGINT and SIGQUIT ignored, which the command's script
 * could then not trap; {@code env --default-signal} restores them.
 */
final class ShellLauncher {

    static final String SETSID = executable("setsid");
    private static final Duration PID_WAIT = Duration.ofSeconds(10);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final List<String> DEFAULT_SIGNALS = defaultSignals();

    // $1 task directory, $2 the script, then the command that execs /bin/sh (setsid [env] [setpriv ...])
    private static final String WRAPPER = String.join("\n",
            "d=$1; s=$2; shift 2",
            "mkfifo \"$d/fifo\" || exit 125",
            "{ dd bs=1 count=" + BoundedOutput.LIMIT + " of=\"$d/out\" 2>/dev/null; exec wc -c >\"$d/dropped\"; } <\"$d/fifo\" &",
            "\"$@\" /bin/sh -c \"$s\" </dev/null >\"$d/fifo\" 2>&1 &",
            "c=$!",
            "echo \"$c\" >\"$d/pid\"",
            "wait \"$c\"",
            "e=$?",
            "echo \"$e\" >\"$d/exit\"",
            "exit \"$e\"");

    /**
     * @param runAs the command that switches to the requested user before the shell is exec'd, or empty
     * @return once the shell's pid is known
     */
    Launched launch(TaskFiles files, String script, Path workingDir, List<String> runAs) throws IOException {
        List<String> command = new ArrayList<>(List.of(SETSID, "/bin/sh", "-c", WRAPPER, "stopplane-wrapper",
                files.dir().toString(), script, SETSID));
        command.addAll(DEFAULT_SIGNALS);
        command.addAll(runAs);
        Path log = files.dir().resolve("wrapper.log");
        Process wrapper = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                // Nobody will ever type into it: a script reading stdin gets end-of-file instead of hanging.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long pid = awaitPid(files, wrapper, log);
        return new Launched(wrapper, files, pid, ProcStat.startTicksOf(pid), ProcStat.startTicksOf(wrapper.pid()),
                ProcessHandle.of(pid).orElse(null));
    }

    private static long awaitPid(TaskFiles files, Process wrapper, Path log) throws IOException {
        long deadline = System.nanoTime() + PID_WAIT.toNanos();
        while (true) {
            OptionalLong pid = files.pid();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            if (!wrapper.isAlive() || System.nanoTime() > deadline) {
                wrapper.destroyForcibly();
                String said = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
                throw new IOException("the wrapper did not start the command: " + said);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static String executable(String name) {
        return Stream.of("/usr/bin/" + name, "/bin/" + name, "/usr/sbin/" + name, "/sbin/" + name)
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst()
                .orElse(name);
    }

    // coreutils' env has --default-signal since 8.31; without it the command keeps SIGINT and SIGQUIT ignored.
    private static List<String> defaultSignals() {
        List<String> env = List.of(executable("env"), "--default-signal=INT,QUIT");
        try {
            Process probe = new ProcessBuilder(Stream.concat(env.stream(), Stream.of("true")).toList())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0 ? env : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * A started command.
     *
     * @param wrapper the agent's child, which exits right after the command's shell, with its status
     * @param pid the command's shell: session leader, process group id
     * @param shell the shell's handle, or null if it was already gone when its pid was read
     */
    record Launched(
            Process wrapper, TaskFiles files, long pid, long startTicks, long wrapperStartTicks, ProcessHandle shell) {

        /** Completes when the wrapper exits, with the status it wrote, or null if it died before it could. */
        CompletableFuture<Integer> exit() {
            return wrapper.onExit().thenApply(w -> {
                OptionalInt code = files.exitCode();
                return code.isPresent() ? code.getAsInt() : null;
            });
        }
    }
}
