package io.stopplane.stack;

import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The four services as real processes from their executable jars, against a broker the caller owns, wired the way
 * {@code bin/stopplane} wires them: each part's port and Actuator port, its state directory, the gateway's address for
 * the agent (which holds no broker address), one partition count. A part keeps its ports, state and environment when
 * it is started again, so a killed part comes back as itself. Every process carries this stack's marker in its
 * environment, and so does every command its agent starts: {@link #close} stops the parts, then kills whatever still
 * carries it. Waiting is the caller's (tests wait with Awaitility): {@link #healthy} says whether a part is ready.
 */
public final class Services implements AutoCloseable {

    /** An agent's activation, from {@code CreateActivation}. */
    public record Activation(String id, String code) {
    }

    public static final String API = "api-service";
    public static final String DISPATCHER = "dispatcher";
    public static final String GATEWAY = "agent-gateway";
    public static final String AGENT = "agent-consumer";
    /** How many instances the agent registers. */
    public static final int AGENT_INSTANCES = 3;
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

    private final Path root;
    private final String bootstrap;
    private final Path state;
    private final Path logs;
    private final Map<String, String> settings;
    private final String marker = "STOPPLANE_STACK=" + UUID.randomUUID();
    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();

    private record Part(String module, int port, int healthPort, Map<String, String> env) {
    }

    /**
     * @param root the source tree whose {@code <module>/target} holds the jars
     * @param state where the dispatchers' and the agent's state directories go
     * @param logs where each part's log goes ({@code <part>.log})
     * @param settings environment for every service beyond what the wiring sets (each reads its own
     *     {@code STOPPLANE_*} names), e.g. short timers or the auth mode (default {@code none})
     */
    public Services(Path root, String bootstrap, Path state, Path logs, Map<String, String> settings)
            throws IOException {
        this.root = root;
        this.bootstrap = bootstrap;
        this.state = state;
        this.logs = logs;
        this.settings = Map.copyOf(settings);
        Map<String, String> common = common();
        define(API, API, common, Map.of("STOPPLANE_API_ADDRESS", "127.0.0.1",
                "STOPPLANE_AUTH_MODE", settings.getOrDefault("STOPPLANE_AUTH_MODE", "none")));
        define(DISPATCHER, DISPATCHER, common, Map.of());
        define(GATEWAY, GATEWAY, common, Map.of());
        // No broker address nor Kafka login for the agent: the gateway's, and an activation (see activate).
        Map<String, String> agent = new LinkedHashMap<>(this.settings);
        agent.putAll(Map.of("STOPPLANE_AGENT_GATEWAY_URL", "ws://127.0.0.1:" + parts.get(GATEWAY).port(),
                "STOPPLANE_AGENT_INSTANCE_COUNT", String.valueOf(AGENT_INSTANCES),
                "STOPPLANE_AGENT_STOPGRACE", "3s"));
        define(AGENT, AGENT, Map.of(), agent);
    }

    /** The source tree this JVM runs in: {@code -Dstopplane.root}, else the parent of the working directory. */
    public static Path sourceRoot() {
        return Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
    }

    /** One more dispatcher (same application id: they share the partitions), named {@code name}, not started. */
    public Services defineDispatcher(String name, Map<String, String> own) throws IOException {
        if (!parts.containsKey(name)) {
            define(name, DISPATCHER, common(), own);
        }
        return this;
    }

    /** Gives the agent its activation, unless it has one: a part started again keeps it. */
    public void activate(Activation activation) {
        parts.get(AGENT).env().putIfAbsent("STOPPLANE_AGENT_ACTIVATION_ID", activation.id());
        parts.get(AGENT).env().putIfAbsent("STOPPLANE_AGENT_ACTIVATION_CODE", activation.code());
    }

    public boolean activated() {
        return parts.get(AGENT).env().containsKey("STOPPLANE_AGENT_ACTIVATION_ID");
    }

    /** Starts a part (again) with its ports, state and environment. */
    public void start(String part) throws IOException {
        if (isRunning(part)) {
            throw new IllegalStateException(part + " is already running");
        }
        Part p = definition(part);
        running.put(part, ServiceProcess.start(part, Build.jar(root, p.module()), JVM_OPTIONS, p.env(),
                logs.resolve(part + ".log"), marker));
    }

    /** Whether the part is running and its Actuator answers UP; throws, naming its log, if it has exited. */
    public boolean healthy(String part) {
        ServiceProcess p = running.get(part);
        if (p == null) {
            throw new IllegalStateException(part + " is not running");
        }
        return p.healthy(definition(part).healthPort());
    }

    /** Whether every running part is healthy (see {@link #healthy}). */
    public boolean allHealthy() {
        return running.keySet().stream().allMatch(this::healthy);
    }

    public boolean isRunning(String part) {
        ServiceProcess p = running.get(part);
        return p != null && p.isAlive();
    }

    /** The parts running now, in the order they were started. */
    public List<String> runningParts() {
        return List.copyOf(running.keySet());
    }

    /** SIGKILL: no shutdown hook, no clean close, an open transaction left behind. */
    public void kill(String part) throws InterruptedException {
        ServiceProcess p = running.remove(part);
        if (p == null) {
            throw new IllegalStateException(part + " is not running");
        }
        p.kill();
    }

    public int port(String part) {
        return definition(part).port();
    }

    /** Where the part's Actuator answers: its port, or the management port of the API and the gateway. */
    public int healthPort(String part) {
        return definition(part).healthPort();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + port(API) + "/";
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The instance ids registration gave the agent, in the order its health lists them. */
    public List<String> agentInstances() throws IOException {
        String body = ServiceProcess.health(healthPort(AGENT)).body();
        List<String> ids = new ArrayList<>();
        JsonNode health = StopPlaneJson.mapper().readTree(body);
        health.path("components").path("commands").path("details").path("instanceIds")
                .forEach(id -> ids.add(id.asString()));
        if (ids.size() != AGENT_INSTANCES) {
            throw new IllegalStateException("the agent registered " + ids + ": " + body);
        }
        return List.copyOf(ids);
    }

    /** The last lines of a part's log, without the client's reconnect warnings (they fill a log once a broker is gone). */
    public String logTail(String part, int lines) {
        return ServiceProcess.tail(logs.resolve(part + ".log"), lines, "NetworkClient");
    }

    /** Stops every part, the last started first, each given 20 s for its orderly shutdown. */
    public void stopParts() throws InterruptedException {
        List<String> order = new ArrayList<>(running.keySet());
        Collections.reverse(order);
        for (String part : order) {
            running.get(part).stop(Duration.ofSeconds(20));
        }
        running.clear();
    }

    /**
     * What carries this stack's marker and is alive ("pid command line"): its parts, and what they started. After
     * {@link #stopParts} this should soon be nothing: the agent kills its commands when it stops.
     */
    public List<String> marked() {
        return ProcScan.withCommandLineOrEnvironment(marker);
    }

    /** Stops the parts, then kills whatever still carries the marker, such as the commands of a killed agent. */
    @Override
    public void close() {
        try {
            stopParts();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String p : marked()) {
            ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Map<String, String> common() {
        Map<String, String> common = new LinkedHashMap<>(settings);
        common.put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap);
        common.putIfAbsent("STOPPLANE_TOPIC_PARTITIONS", "3");
        return common;
    }

    private Part definition(String part) {
        Part p = parts.get(part);
        if (p == null) {
            throw new IllegalArgumentException("no part " + part + " in this stack: " + parts.keySet());
        }
        return p;
    }

    private void define(String name, String module, Map<String, String> common, Map<String, String> own)
            throws IOException {
        int port = Ports.free();
        int healthPort = port;
        Map<String, String> env = new LinkedHashMap<>(common);
        switch (module) {
            case API -> {
                healthPort = Ports.free();
                env.put("STOPPLANE_API_PORT", String.valueOf(port));
                env.put("STOPPLANE_API_MANAGEMENT_PORT", String.valueOf(healthPort));
            }
            case DISPATCHER -> {
                env.put("STOPPLANE_DISPATCHER_PORT", String.valueOf(port));
                env.put("STOPPLANE_DISPATCHER_STATE_DIR", state.resolve(name).toString());
            }
            case GATEWAY -> {
                healthPort = Ports.free();
                env.put("STOPPLANE_GATEWAY_PORT", String.valueOf(port));
                env.put("STOPPLANE_GATEWAY_MANAGEMENT_PORT", String.valueOf(healthPort));
            }
            case AGENT -> {
                env.put("STOPPLANE_AGENT_PORT", String.valueOf(port));
                env.put("STOPPLANE_AGENT_STATE_DIR", state.resolve("agent").toString());
            }
            default -> throw new IllegalArgumentException("not a service: " + module);
        }
        env.putAll(own);
        parts.put(name, new Part(module, port, healthPort, env));
    }
}
