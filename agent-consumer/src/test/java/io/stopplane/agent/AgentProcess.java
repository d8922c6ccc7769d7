package io.stopplane.agent;

import static org.awaitility.Awaitility.await;

import io.stopplane.agent.testing.FakeGateway;
import io.stopplane.stack.Build;
import io.stopplane.stack.ServiceProcess;
import io.stopplane.stack.Services;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent as a real process ({@link ServiceProcess}), from the jar {@code package} built before failsafe runs, the
 * way {@code bin/stopplane} runs it. Its log goes to {@code target/agent-it-logs/<name>.log}. It listens on a port the
 * system chose when it bound it ({@code STOPPLANE_AGENT_PORT=0}), read from its log: a port found free beforehand may be
 * taken (by any process's outgoing connection) in the seconds a JVM takes to start on a loaded machine.
 */
final class AgentProcess implements AutoCloseable {

    // Start-up alone took 97 s once while other builds shared the 2 cores (load 27): a bound for a hung agent, not a speed.
    private static final Duration START = Duration.ofMinutes(3);
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    private final ServiceProcess process;
    private int port;

    private AgentProcess(ServiceProcess process) {
        this.process = process;
    }

    /** Starts the agent, registering {@code instanceCount} instances on its first start, and returns once it is ready. */
    static AgentProcess start(String name, String gatewayUrl, int instanceCount, Path stateDir, Map<String, String> env)
            throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("STOPPLANE_AGENT_GATEWAY_URL", gatewayUrl,
                "STOPPLANE_AGENT_PORT", "0",
                "STOPPLANE_AGENT_INSTANCE_COUNT", String.valueOf(instanceCount),
                "STOPPLANE_AGENT_ACTIVATION_ID", FakeGateway.ACTIVATION_ID,
                "STOPPLANE_AGENT_ACTIVATION_CODE", FakeGateway.ACTIVATION_CODE,
                "STOPPLANE_AGENT_STATE_DIR", stateDir.toString(),
                "STOPPLANE_AGENT_STOPGRACE", "2s"));
        all.putAll(env);
        AgentProcess agent = new AgentProcess(ServiceProcess.start(name, jar(),
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), all,
                Path.of("target", "agent-it-logs", name + ".log"), null));
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
        return Build.jar(Services.sourceRoot(), "agent-consumer");
    }

    /** SIGKILL: no shutdown hook, nothing cleaned up, the commands it runs left behind. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM: the agent's orderly shutdown. */
    void stop() throws InterruptedException {
        process.stop(Duration.ofSeconds(30));
    }

    /** The body of {@code /actuator/health}. */
    String health() throws IOException {
        return ServiceProcess.health(port).body();
    }

    private boolean ready() throws IOException {
        if (port == 0 && (port = boundPort()) == 0) {
            process.checkAlive();
            return false;
        }
        return process.healthy(port);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The port this start of the agent bound, from what it has logged since: 0 while it has not bound one yet. */
    private int boundPort() throws IOException {
        Matcher m = STARTED.matcher(process.logSinceStart());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
