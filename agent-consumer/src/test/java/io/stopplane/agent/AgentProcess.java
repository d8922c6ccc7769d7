package io.stopplane.agent;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent as a real process, from the jar {@code package} built before failsafe runs, the way {@code bin/stopplane}
 * runs it. Its log goes to {@code target/agent-it-logs/<name>.log}.
 */
final class AgentProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "agent-consumer-" + System.getProperty("stopplane.version",
            "0.1.0-SNAPSHOT") + ".jar").toAbsolutePath();
    // Start-up alone took 97 s once while other builds shared the 2 cores (load 27): a bound for a hung agent, not a speed.
    private static final Duration START = Duration.ofMinutes(3);

    private final Process process;
    private final int port;
    private final String name;
    private final HttpClient http = HttpClient.newHttpClient();

    private AgentProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** Starts the agent and returns once it is positioned on its partitions. */
    static AgentProcess start(String name, String bootstrap, String instanceIds, Path stateDir, Map<String, String> env)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("missing " + JAR + ": failsafe runs after package");
        }
        Path logs = Path.of("target", "agent-it-logs");
        Files.createDirectories(logs);
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString());
        pb.environment().putAll(Map.of("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap,
                "STOPPLANE_AGENT_PORT", String.valueOf(port),
                "STOPPLANE_AGENT_INSTANCE_IDS", instanceIds,
                "STOPPLANE_AGENT_STATE_DIR", stateDir.toString(),
                "STOPPLANE_AGENT_STOPGRACE", "2s",
                "STOPPLANE_AGENT_HEARTBEATINTERVAL", "1s"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        AgentProcess agent = new AgentProcess(name, pb.start(), port);
        await().atMost(START).pollInterval(Duration.ofMillis(250)).until(agent::ready);
        return agent;
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
