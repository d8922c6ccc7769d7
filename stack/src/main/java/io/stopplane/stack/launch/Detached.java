package io.stopplane.stack.launch;

import io.stopplane.stack.ProcScan;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The launched processes of one state directory, found again from any JVM: each is started detached (a session of its
 * own through {@code setsid}, SIGHUP ignored, stdin from /dev/null, output appended to a log), writes its own pid file
 * before it execs, and carries the stack's marker in its environment (and a JVM on its command line). A pid counts as
 * a part's only while the process with that pid carries the marker; {@link #sweep} ends whatever carries it.
 */
final class Detached {

    private static final String WRAPPER = "echo $$ >\"$1.tmp\" && mv -f \"$1.tmp\" \"$1\" && shift && exec \"$@\"";

    private final LaunchConfig c;
    private final Launcher.Out out;

    Detached(LaunchConfig c, Launcher.Out out) {
        this.c = c;
        this.out = out;
    }

    /** Starts {@code command} detached with {@code env} added to the stack's; returns once its pid file is written. */
    long launch(String part, Path logFile, List<String> command, Map<String, String> env) throws IOException {
        Path pidFile = c.pidFile(part);
        Files.createDirectories(c.pidDir());
        Files.createDirectories(c.logDir());
        Files.createDirectories(c.run());
        Files.deleteIfExists(pidFile);
        Files.writeString(logFile, "===== " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                + " starting " + part + " =====\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        List<String> full = new ArrayList<>(List.of("setsid", "env", c.markEnv(), "nohup", "bash", "-c", WRAPPER,
                "stopplane-launch", pidFile.toString()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(c.run().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(c.env());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = readPid(pidFile);
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            if (!p.isAlive() && readPid(pidFile).isEmpty()) {
                break;
            }
            pause(50);
        }
        throw new LaunchException(part + " did not start (no pid file); see " + logFile);
    }

    /** The pid of a running part: its pid file names a live process that carries the marker. */
    Optional<Long> pidOf(String part) {
        OptionalLong pid = readPid(c.pidFile(part));
        if (pid.isPresent() && isOurs(pid.getAsLong())) {
            return Optional.of(pid.getAsLong());
        }
        return Optional.empty();
    }

    boolean isOurs(long pid) {
        if (!alive(pid)) {
            return false;
        }
        return args(pid, "cmdline").contains(c.markArg()) || args(pid, "environ").contains(c.markEnv());
    }

    /**
     * Stops the given parts together: SIGTERM to each one's process group, {@code STOPPLANE_STOP_TIMEOUT} for their
     * orderly shutdown, then SIGKILL; then whatever of their children had left their group.
     */
    void stop(List<String> parts) throws IOException {
        List<Long> pids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<ProcessHandle> extra = new ArrayList<>();
        for (String p : parts) {
            Optional<Long> pid = pidOf(p);
            if (pid.isPresent()) {
                ProcessHandle.of(pid.get()).ifPresent(h -> h.descendants().forEach(extra::add));
                pids.add(pid.get());
                names.add(p);
                signalGroup("TERM", pid.get());
            } else {
                Files.deleteIfExists(c.pidFile(p));
            }
        }
        if (pids.isEmpty()) {
            return;
        }
        out.say("stopping " + String.join(" ", names) + " ...");
        long t = System.nanoTime();
        long deadline = t + c.stopTimeout().toNanos();
        while (pids.stream().anyMatch(Detached::alive)) {
            if (System.nanoTime() >= deadline) {
                for (int i = 0; i < pids.size(); i++) {
                    if (alive(pids.get(i))) {
                        out.warn(names.get(i) + " (pid " + pids.get(i) + ") did not stop within "
                                + c.stopTimeout().toSeconds() + "s: SIGKILL");
                        signalGroup("KILL", pids.get(i));
                    }
                }
                pause(500);
                break;
            }
            pause(200);
        }
        // process groups may still hold children after the leader exited
        for (long pid : pids) {
            kill("KILL", "-" + pid);
        }
        List<ProcessHandle> leftOver = extra.stream().filter(ProcessHandle::isAlive).toList();
        if (!leftOver.isEmpty()) {
            out.warn(leftOver.size() + " child process(es) of " + String.join(" ", names)
                    + " outlived them: terminating");
            leftOver.forEach(h -> signalGroup("TERM", h.pid()));
            for (int i = 0; i < 10 && leftOver.stream().anyMatch(ProcessHandle::isAlive); i++) {
                pause(200);
            }
            leftOver.stream().filter(ProcessHandle::isAlive).forEach(h -> signalGroup("KILL", h.pid()));
        }
        for (String p : names) {
            Files.deleteIfExists(c.pidFile(p));
        }
        out.say("stopped " + String.join(" ", names) + " in " + Launcher.since(t) + " s");
    }

    /** Last resort: any process (but this JVM and its ancestors) whose command line or environment carries the marker. */
    List<Long> marked() {
        List<Long> self = new ArrayList<>();
        for (Optional<ProcessHandle> h = Optional.of(ProcessHandle.current()); h.isPresent(); h = h.get().parent()) {
            self.add(h.get().pid());
        }
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (!self.contains(pid) && isOurs(pid)) {
                    found.add(pid);
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot list /proc: " + e);
        }
        return found;
    }

    void sweep() {
        List<Long> pids = marked();
        if (pids.isEmpty()) {
            return;
        }
        out.warn("terminating leftover StopPlane process(es): " + join(pids));
        pids.forEach(pid -> kill("TERM", String.valueOf(pid)));
        for (int i = 0; i < 25; i++) {
            pids = marked();
            if (pids.isEmpty()) {
                return;
            }
            pause(200);
        }
        pids.forEach(pid -> kill("KILL", String.valueOf(pid)));
        pause(300);
        pids = marked();
        if (!pids.isEmpty()) {
            out.warn("still alive after SIGKILL: " + join(pids));
        }
    }

    void removePidFiles() throws IOException {
        if (Files.isDirectory(c.pidDir())) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(c.pidDir(), "*.pid")) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Writes a pid file as the launch wrapper does (for a process started otherwise, e.g. a cluster's broker 1). */
    void writePid(String part, long pid) throws IOException {
        Files.createDirectories(c.pidDir());
        Path tmp = c.pidDir().resolve(part + ".pid.tmp");
        Files.writeString(tmp, pid + "\n");
        Files.move(tmp, c.pidFile(part), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static OptionalLong readPid(Path pidFile) {
        try {
            String s = Files.readString(pidFile).strip();
            return s.matches("[0-9]+") ? OptionalLong.of(Long.parseLong(s)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** A live process (a zombie waiting to be reaped counts as dead). */
    static boolean alive(long pid) {
        return ProcScan.alive(pid);
    }

    /** A signal to the process group if the pid leads one, else to the pid. */
    static void signalGroup(String signal, long pid) {
        kill(signal, ProcScan.processGroup(pid) == pid ? "-" + pid : String.valueOf(pid));
    }

    private static void kill(String signal, String target) {
        try {
            new ProcessBuilder("kill", "-s", signal, "--", target).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new LaunchException("cannot run kill: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The NUL-separated entries of /proc/pid/cmdline or environ. */
    private static List<String> args(long pid, String file) {
        return Arrays.asList(ProcScan.procFile(pid, file).split("\0"));
    }

    private static String join(List<Long> pids) {
        return String.join(" ", pids.stream().map(String::valueOf).toList());
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", 130);
        }
    }
}
