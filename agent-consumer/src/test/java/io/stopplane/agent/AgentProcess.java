package io.stopplane.agent;

import static org.awaitility.Awaitility.await;

import io.stopplane.agent.testing.FakeGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent as a real process, from the jar {@code package} built before failsafe runs, the way {@code bin/stopplane}
 * runs it. Its log goes to {@code target/agent-it-logs/<name>.log}. It listens on a port the system chose when it bound
 * it ({@code STOPPLANE_AGENT_PORT=0}), read from its log: a port found free beforehand may be taken (by any process's
 * outgoing connection) in the seconds a JVM takes to start on a loaded machine.
 */
final class AgentProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "agent-consumer-" + System.getProperty("stopplane.version",
            "0.1.0-SNAPSHOT") + ".jar").toAbsolutePath();
    // Start-up alone took 97 s once while other builds shared the 2 cores (load 27): a bound for a hung agent, not a speed.
    private static final Duration START = Duration.ofMinutes(3);
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    private final Process process;
    private final String name;
    private final Path log;
    private final long logStart;
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private AgentProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** Starts the agent, registering {@code instanceCount} instances on its first start, and returns once it is ready. */
    static AgentProcess start(String name, String gatewayUrl, int instanceCount, Path stateDir, Map<String, String> env)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("missing " + JAR + ": failsafe runs after package");
        }
        Path logs = Path.of("target", "agent-it-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString());
        pb.environment().putAll(Map.of("STOPPLANE_AGENT_GATEWAY_URL", gatewayUrl,
                "STOPPLANE_AGENT_PORT", "0",
                "STOPPLANE_AGENT_INSTANCE_COUNT", String.valueOf(instanceCount),
                "STOPPLANE_AGENT_ACTIVATION_ID", FakeGateway.ACTIVATION_ID,
                "STOPPLANE_AGENT_ACTIVATION_CODE", FakeGateway.ACTIVATION_CODE,
                "STOPPLANE_AGENT_STATE_DIR", stateDir.toString(),
                "STOPPLANE_AGENT_STOPGRACE", "2s"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        AgentProcess agent = new AgentProcess(name, pb.start(), log, logStart);
        await().atMost(START).pollInterval(Duration.ofMillis(250)).until(agent::ready);
        return agent;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    static Path jar() {
        return JAR;
    }

    /** SIGKILL: no shutdown hook, nothing cleaned up, the commands it runs left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the agent's orderly shutdown. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** The body of {@code /actuator/health}. */
    String health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("agent " + name + " exited with " + process.exitValue()
                    + "; see target/agent-it-logs/" + name + ".log");
        }
        try {
            if (port == 0 && (port = boundPort()) == 0) {
                return false;
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The port this start of the agent bound, from what it has logged since: 0 while it has not bound one yet. */
    private int boundPort() throws IOException {
        byte[] all = Files.readAllBytes(log);
        Matcher m = STARTED.matcher(new String(all, (int) logStart, all.length - (int) logStart,
                java.nio.charset.StandardCharsets.UTF_8));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
