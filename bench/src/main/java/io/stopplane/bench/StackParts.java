package io.stopplane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack's processes as the phases that stop, restart or weigh them see them: by the launcher's pid files and
 * {@code bin/stopplane start}, and the JDK's {@code jcmd} for a part's heap.
 */
final class StackParts {

    private final BenchConfig config;

    StackParts(BenchConfig config) {
        this.config = config;
    }

    /** Whether the bench was given the launcher and its pid files (it was not, against another stack). */
    boolean available() {
        return config.launcher() != null && config.pidsDir() != null;
    }

    /** Ends a part: SIGKILL if {@code forcibly}, else SIGTERM (a clean shutdown); waits until it is gone. */
    void kill(String part, boolean forcibly) throws Exception {
        long pid = pid(part);
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IOException(part + " (pid " + pid
                + ") is not running"));
        if (forcibly) {
            h.destroyForcibly();
        } else {
            h.destroy();
        }
        h.onExit().get(60, TimeUnit.SECONDS);
    }

    /** {@code bin/stopplane start part}, with {@code env} added to the launcher's (and so the part's) environment. */
    Process start(String part, Map<String, String> env) throws IOException {
        ProcessBuilder b = new ProcessBuilder(config.launcher().toString(), "start", part).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(part).toFile()));
        b.environment().putAll(env);
        return b.start();
    }

    Path logOf(String part) {
        return config.out().resolve("restart-" + part + ".log");
    }

    long awaitStarted(Process start, String part) throws Exception {
        if (!start.waitFor(900, TimeUnit.SECONDS) || start.exitValue() != 0) {
            throw new IOException("bin/stopplane start " + part + " failed: see " + logOf(part));
        }
        return System.nanoTime();
    }

    /** A part's used heap after a full GC (jcmd GC.run, then GC.heap_info) in MB and the raw line; null: unknown. */
    String[] heapAfterGc(String part) {
        try {
            long pid = pid(part);
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            String exe = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
            run(exe, Long.toString(pid), "GC.run");
            String info = run(exe, Long.toString(pid), "GC.heap_info");
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            if (!m.find()) {
                return null;
            }
            double usedMb = Long.parseLong(m.group(2)) / 1024.0;
            return new String[] {String.format("%.0f", usedMb), m.group(0).trim() + " (heap committed/used, KB)"};
        } catch (Exception e) {
            return null;
        }
    }

    /** The same, as a number (null if unknown). */
    Double heapMbAfterGc(String part) {
        String[] heap = heapAfterGc(part);
        return heap == null ? null : Double.valueOf(heap[0]);
    }

    long pid(String part) throws IOException {
        return Long.parseLong(Files.readString(config.pidsDir().resolve(part + ".pid")).trim());
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
