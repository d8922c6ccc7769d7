package io.stopplane.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The stack of {@code mvn verify}: the services' executable jars as separate processes (SIGKILLed and started again like
 * any process) against a broker the test owns. One stack serves several runs: {@link #down} keeps it, {@link #close}
 * stops it. Every process it starts, and every command its agent starts, carries a marker in its environment, so that
 * whatever is left can be found.
 */
final class JarStack implements Stack {

    private static final int INSTANCE_COUNT = 3;

    private final Path root = Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
    private final String version = System.getProperty("stopplane.version", LauncherStack.VERSION);
    private final String bootstrap;
    private final Path state;
    private final Path logs;
    private final String marker = "STOPPLANE_CHAOS_IT=" + UUID.randomUUID();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Where each part's Actuator answers: its port, but the api-service's management port for it. */
    private final Map<String, Integer> healthPorts = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> envs = new LinkedHashMap<>();
    private final Map<String, String> env;
    /** The ports handed to parts of this stack: never handed out twice. */
    private final java.util.Set<Integer> reserved = new java.util.HashSet<>();

    JarStack(String bootstrap, Path state) throws IOException {
        this(bootstrap, state, Map.of(), Path.of(System.getProperty("stopplane.root", ".."))
                .resolve("chaos/target/chaos-it/logs"));
    }

    /**
     * @param env settings for every service beyond the broker's address (e.g. the cluster's replication)
     * @param logs where each part's log goes ({@code <part>.log})
     */
    JarStack(String bootstrap, Path state, Map<String, String> env, Path logs) throws IOException {
        this.bootstrap = bootstrap;
        this.state = state;
        this.env = env;
        this.logs = Files.createDirectories(logs);
    }

    @Override
    public void up(Shape shape, Path runDir) throws Exception {
        if (shape == Shape.CLUSTER) {
            throw new UnsupportedOperationException("the cluster fault runs with bin/stopplane chaos only");
        }
        // a stack kept from the run before: start again only what that run left dead
        List<String> wanted = new ArrayList<>(List.of("dispatcher", "api-service", "agent-gateway"));
        if (shape == Shape.TWO_DISPATCHERS) {
            wanted.add(1, "dispatcher-2");
        }
        startTogether(wanted.stream().filter(part -> !running(part)).toList());
    }

    /** Launches the parts at once, then waits for each to be healthy. */
    void startTogether(List<String> parts) throws Exception {
        defineParts();
        for (String part : parts) {
            launch(part);
        }
        for (String part : parts) {
            awaitHealthy(part, Duration.ofSeconds(180));
        }
        if (!running("agent-consumer")) {
            activate();
            launch("agent-consumer");
            awaitHealthy("agent-consumer", Duration.ofSeconds(180));
        }
    }

    /** The agent registers through an activation, created as any user would: {@code CreateActivation}. */
    private void activate() {
        Map<String, String> env = envs.get("agent-consumer");
        if (env.containsKey("STOPPLANE_AGENT_ACTIVATION_ID")) {
            return;
        }
        Rpc.Answer answer = new Rpc(apiBase(), new Tally()).call("CreateActivation", "InstanceName", "chaos",
                "InstanceCount", String.valueOf(INSTANCE_COUNT));
        if (!answer.ok()) {
            throw new IllegalStateException("CreateActivation: " + answer);
        }
        env.put("STOPPLANE_AGENT_ACTIVATION_ID", answer.body().get("ActivationId").asString());
        env.put("STOPPLANE_AGENT_ACTIVATION_CODE", answer.body().get("ActivationCode").asString());
    }

    @Override
    public String apiBase() {
        return "http://127.0.0.1:" + ports.get("api-service") + "/";
    }

    @Override
    public Map<String, Integer> servicePorts() {
        Map<String, Integer> p = new LinkedHashMap<>();
        for (String part : ports.keySet()) {
            if (processes.containsKey(part)) {
                p.put(part, healthPorts.get(part));
            }
        }
        return p;
    }

    /** The instance ids registration gave the agent, as its health names them. */
    @Override
    public List<String> instances() {
        List<String> ids = new ArrayList<>();
        new Rpc(apiBase(), new Tally()).health(ports.get("agent-consumer"))
                .path("components").path("commands").path("details").path("instanceIds")
                .forEach(id -> ids.add(id.asString()));
        return ids;
    }

    @Override
    public void kill(String part) throws Exception {
        Process p = processes.remove(part);
        if (p == null) {
            throw new IllegalStateException(part + " is not running");
        }
        p.destroyForcibly(); // SIGKILL
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(part + " survived SIGKILL");
        }
    }

    @Override
    public void start(String part) throws Exception {
        defineParts();
        launch(part);
        awaitHealthy(part, Duration.ofSeconds(180));
    }

    @Override
    public String bootstrap() {
        return bootstrap;
    }

    /** The embedded broker has no authentication. */
    @Override
    public Map<String, Object> adminConfig() {
        return Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }

    @Override
    public String activeController() {
        throw new UnsupportedOperationException("one broker");
    }

    @Override
    public java.util.Properties brokerConfig(String broker) {
        throw new UnsupportedOperationException("one broker");
    }

    /** The audit CLI's jar, as {@code bin/stopplane audit verify} runs it. */
    @Override
    public Verified verify() {
        Path jar = root.resolve("audit/target/audit-" + version + ".jar");
        try {
            Path out = Files.createTempFile("audit-verify", ".log");
            ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", jar.toString(), "verify")
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Verified(false, "audit verify did not finish within 120 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            String last = output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)");
            return new Verified(p.exitValue() == 0, last.strip());
        } catch (IOException e) {
            return new Verified(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verified(false, "interrupted");
        }
    }

    /** Kept for the next run: {@link #close} stops it. */
    @Override
    public void down() {
    }

    /** While the stack is kept, its services are not leftovers: see {@link #close}. */
    @Override
    public List<String> leftovers() {
        return List.of();
    }

    @Override
    public String description() {
        return "service jars as processes on an embedded KRaft broker";
    }

    boolean running(String part) {
        Process p = processes.get(part);
        return p != null && p.isAlive();
    }

    /** Stops everything (services first), and returns what is still alive after that: must be nothing. */
    List<String> stopAll() throws InterruptedException {
        List<String> order = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(order);
        for (String part : order) {
            processes.get(part).destroy();
        }
        for (String part : order) {
            Process p = processes.get(part);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        processes.clear();
        AtomicReference<List<String>> left = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> { left.set(ProcScan.withCommandLineOrEnvironment(marker)); return left.get().isEmpty(); });
        } catch (ConditionTimeoutException e) {
            // the caller reports what is left
        }
        return left.get();
    }

    /** The last lines of a part's log, for a failure message (CI shows the test's output, not the logs). */
    String logTail(String part, int lines) {
        try {
            // without the client's reconnect warnings, which fill a log once the broker is gone
            List<String> all = Files.readAllLines(logs.resolve(part + ".log")).stream()
                    .filter(line -> !line.contains("NetworkClient")).toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log of " + part + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            stopAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // never leave a command behind, whatever the test said about it
        for (String p : ProcScan.withCommandLineOrEnvironment(marker)) {
            ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Each part's ports and environment, once: a part started again keeps them. */
    private void defineParts() throws IOException {
        if (!ports.isEmpty()) {
            return;
        }
        Map<String, String> common = new LinkedHashMap<>(env);
        common.put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap);
        common.putIfAbsent("STOPPLANE_TOPIC_PARTITIONS", "3");
        define("dispatcher", common, Map.of("STOPPLANE_DISPATCHER_STATE_DIR", state.resolve("dispatcher").toString()));
        define("dispatcher-2", common,
                Map.of("STOPPLANE_DISPATCHER_STATE_DIR", state.resolve("dispatcher-2").toString()));
        define("api-service", common, Map.of("STOPPLANE_API_ADDRESS", "127.0.0.1", "STOPPLANE_AUTH_MODE", "none"));
        int gateway = freePort();
        define("agent-gateway", common, Map.of("STOPPLANE_GATEWAY_PORT", String.valueOf(gateway)));
        // No broker address nor Kafka login for the agent: the gateway's, and an activation created once it runs.
        define("agent-consumer", Map.of(), Map.of("STOPPLANE_AGENT_GATEWAY_URL", "ws://127.0.0.1:" + gateway,
                "STOPPLANE_AGENT_INSTANCE_COUNT", String.valueOf(INSTANCE_COUNT),
                "STOPPLANE_AGENT_STOPGRACE", "3s",
                "STOPPLANE_AGENT_STATE_DIR", state.resolve("agent").toString()));
    }

    private void define(String part, Map<String, String> common, Map<String, String> own) throws IOException {
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>(common);
        env.putAll(own);
        String module = part.startsWith("dispatcher") ? "dispatcher" : part;
        env.put(switch (module) {
            case "api-service" -> "STOPPLANE_API_PORT";
            case "dispatcher" -> "STOPPLANE_DISPATCHER_PORT";
            // its health is on the management port
            case "agent-gateway" -> "STOPPLANE_GATEWAY_MANAGEMENT_PORT";
            default -> "STOPPLANE_AGENT_PORT";
        }, String.valueOf(port));
        env.put("__module", module);
        ports.put(part, port);
        healthPorts.put(part, port);
        if (module.equals("api-service")) {
            int management = freePort();
            env.put("STOPPLANE_API_MANAGEMENT_PORT", String.valueOf(management));
            healthPorts.put(part, management);
        }
        envs.put(part, env);
    }

    private void launch(String part) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(envs.get(part));
        String module = env.remove("__module");
        Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": run the build (mvn -B verify) first");
        }
        // env puts the marker into the environment the service, and every command its agent starts, inherits
        ProcessBuilder pb = new ProcessBuilder("env", marker, javaBin(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(part + ".log").toFile()));
        processes.put(part, pb.start());
    }

    private void awaitHealthy(String part, Duration within) throws InterruptedException {
        Rpc rpc = new Rpc("http://127.0.0.1:" + healthPorts.get(part) + "/", null);
        await().alias(part + " healthy (log: chaos/target/chaos-it/logs/" + part + ".log)").atMost(within)
                .pollInterval(Duration.ofMillis(300))
                .failFast(part + " exited; see chaos/target/chaos-it/logs/" + part + ".log", () -> {
                    Process p = processes.get(part);
                    return p == null || !p.isAlive();
                })
                .until(() -> "UP".equals(Rpc.status(rpc.health(healthPorts.get(part)))));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A port for a part to listen on, below the kernel's ephemeral range. A port {@code bind(0)} hands out is in that
     * range, where any process's outgoing connection (each Kafka client's, here and in every other build on the
     * machine) may take it in the seconds before the part binds it, or while a killed part is down; and a part must
     * come back on its own port (the agent reconnects to the gateway's).
     */
    private int freePort() throws IOException {
        int ephemeralStart;
        // a stream: /proc reports a size of 0, and Files.readString trusts it
        try (java.io.InputStream range = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            ephemeralStart = Integer.parseInt(new String(range.readAllBytes(), StandardCharsets.US_ASCII).trim()
                    .split("\\s+")[0]);
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, ephemeralStart);
            if (reserved.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                reserved.add(s.getLocalPort());
                return port;
            } catch (IOException inUse) {
                // someone listens there: another one
            }
        }
        throw new IOException("no free port between 10000 and " + ephemeralStart);
    }
}
