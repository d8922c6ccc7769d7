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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Starts a command's {@code /bin/sh -c <script>} through a small wrapper shell that outlives the agent, so that a command
 * survives an agent crash and what it did can still be proven afterwards:
 * <ul>
 * <li>the wrapper runs in a session of its own (a signal to the agent's group or terminal does not reach it) and starts
 *     the command's shell as the leader of yet another session and process group;</li>
 * <li>with cgroup v2 ({@link KillMethod#CGROUP}) the command's first process moves itself into the command's cgroup
 *     before it execs anything of the command's, so everything the command ever starts is born there; the wrapper and
 *     the output reader stay outside, so a kill of the cgroup never takes them;</li>
 * <li>the wrapper is the shell's parent: it reaps it and writes its exit status to {@code exit} (128 + signal for a
 *     signal death, as the JDK reports it), which nobody else could learn once the agent is gone;</li>
 * <li>output goes through a FIFO to a reader the wrapper starts ({@code head -c 24K} into {@code out}, then
 *     {@code wc -c} of the rest into {@code dropped}), not through a pipe to the agent: a command writing after the agent
 *     died would be killed by SIGPIPE, and the disk use stays bounded however much it writes. {@code head} reads whole
 *     blocks but never past 24 KB, and writes each block through at once ({@code stdbuf -o0}: no stdio buffer), so
 *     what a command whose background child keeps the FIFO open wrote is there when it is reported. {@code wc} replaces
 *     the reader's subshell ({@code exec});</li>
 * <li>the wrapper waits for the reader too: nothing is left for pid 1 to reap, and once the wrapper is gone (or
 *     {@code dropped} is written) the output is final. Three processes at most besides the command's own (wrapper,
 *     reader, {@code head}), two once 24 KB were read;</li>
 * <li>each of those files is one line written by one {@code write} into a new file, with the shell's builtin
 *     {@code echo} (or {@code wc}). A reader takes a file without its final newline as not written yet.</li>
 * </ul>
 * Asynchronous commands of a non-interactive shell start with SIGINT and SIGQUIT ignored, which the command's script
 * could then not trap; {@code env --default-signal} restores them.
 */
final class ShellLauncher {

    static final String SETSID = executable("setsid");
    private static final Duration PID_WAIT = Duration.ofSeconds(10);
    private static final List<String> DEFAULT_SIGNALS = defaultSignals();

    private static final String READER = executable("stdbuf").startsWith("/")
            ? executable("stdbuf") + " -o0 head -c " + BoundedOutput.LIMIT
            : "dd bs=1 count=" + BoundedOutput.LIMIT; // exact and unbuffered too, one byte per read

    // $1 task directory, $2 the script, $3 the command's cgroup or "", then the command that execs /bin/sh
    // (setsid [env] [setpriv ...])
    private static final String WRAPPER = String.join("\n",
            "d=$1; s=$2; g=$3; shift 3",
            "mkfifo \"$d/fifo\" || exit 125",
            "{ " + READER + " >\"$d/out\" 2>/dev/null; exec wc -c >\"$d/dropped\"; } <\"$d/fifo\" &",
            "r=$!",
            "( if [ -n \"$g\" ]; then echo 0 >\"$g/cgroup.procs\" || exit 125; fi; exec \"$@\" /bin/sh -c \"$s\" ) "
                    + "</dev/null >\"$d/fifo\" 2>&1 &",
            "c=$!",
            "echo \"$c\" >\"$d/pid\"",
            "wait \"$c\"",
            "e=$?",
            "echo \"$e\" >\"$d/exit\"",
            "wait \"$r\"",
            "exit \"$e\"");

    private final FileEvents events = FileEvents.shared();

    /**
     * @param runAs the command that switches to the requested user before the shell is exec'd, or empty
     * @param cgroup the command's cgroup, or null to run it in the agent's
     * @return once the shell's pid is known
     */
    Launched launch(TaskFiles files, String script, Path workingDir, List<String> runAs, TaskCgroup cgroup)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(SETSID, "/bin/sh", "-c", WRAPPER, "stopplane-wrapper",
                files.dir().toString(), script, cgroup == null ? "" : cgroup.dir().toString(), SETSID));
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
        // The exit file's event, or the wrapper's exit should it die before it could write one.
        CompletableFuture<Integer> exit = CompletableFuture.anyOf(files.exitWritten(events), wrapper.onExit())
                .handle((any, error) -> exitCode(files));
        return new Launched(wrapper, files, pid, ProcStat.startTicksOf(pid), ProcStat.startTicksOf(wrapper.pid()),
                ProcessHandle.of(pid).orElse(null), exit);
    }

    private long awaitPid(TaskFiles files, Process wrapper, Path log) throws IOException {
        CompletableFuture<Void> written = events.when(files.dir(), () -> files.pid().isPresent());
        try {
            CompletableFuture.anyOf(written, wrapper.onExit()).get(PID_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // told below
        }
        OptionalLong pid = files.pid();
        if (pid.isPresent()) {
            return pid.getAsLong();
        }
        wrapper.destroyForcibly();
        String said = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
        throw new IOException("the wrapper did not start the command: " + said);
    }

    private static Integer exitCode(TaskFiles files) {
        OptionalInt code = files.exitCode();
        return code.isPresent() ? code.getAsInt() : null;
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
     * @param exit completes once the wrapper wrote the shell's status, with it, or with null if the wrapper died first
     */
    record Launched(Process wrapper, TaskFiles files, long pid, long startTicks, long wrapperStartTicks,
            ProcessHandle shell, CompletableFuture<Integer> exit) {
    }
}
