package io.stopplane.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One StopPlane service as a real process: {@code java <options> -jar <jar>} with its environment, its output appended
 * to its log. An optional marker ({@code NAME=value}) is put into its environment by {@code env}, so that the service
 * and everything it starts (the agent's commands inherit it) can be found with {@link ProcScan} whatever escaped.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final long logStart;

    private ServiceProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * @param marker {@code NAME=value} for its environment and its children's, or null
     * @param options the JVM's options (heap, JIT), before {@code -jar}
     */
    public static ServiceProcess start(String name, Path jar, List<String> options, Map<String, String> env, Path log,
            String marker) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": build first (mvn -B -DskipTests package)");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = new ArrayList<>();
        if (marker != null) {
            command.addAll(List.of("env", marker));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ServiceProcess(name, pb.start(), log, logStart);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Throws, naming the log, if the process has exited: for a health wait to fail at once rather than time out. */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** SIGKILL: no shutdown hook, no clean close, an open transaction left behind. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    /** SIGTERM, its orderly shutdown within {@code grace}, else SIGKILL; then SIGKILL for whatever it left running. */
    public void stop(Duration grace) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Whether {@code /actuator/health} on {@code port} answers 200 (UP); false while it does not answer at all. */
    public boolean healthy(int port) {
        checkAlive();
        try {
            return health(port).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code GET /actuator/health} on {@code port} of 127.0.0.1. */
    public static HttpResponse<String> health(int port) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** What this start of the process has written to its log so far. */
    public String logSinceStart() throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(logStart, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** The last {@code lines} lines of a log, without the lines that contain {@code omit}, for a failure message. */
    public static String tail(Path log, int lines, String omit) {
        try {
            List<String> all = Files.readAllLines(log).stream().filter(l -> omit == null || !l.contains(omit)).toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log " + log + ": " + e + ")";
        }
    }
}
