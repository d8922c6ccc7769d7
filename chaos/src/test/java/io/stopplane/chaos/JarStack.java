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

    static final List<String> INSTANCES = List.of("i-chaos0001", "i-chaos0002", "i-chaos0003");

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

    JarStack(String bootstrap, Path state) throws IOException {
        this.bootstrap = bootstrap;
        this.state = state;
        this.logs = Files.createDirectories(root.resolve("chaos/target/chaos-it/logs"));
    }

    @Override
    public void up(Shape shape, Path runDir) throws Exception {
        if (shape == Shape.CLUSTER) {
            throw new UnsupportedOperationException("the cluster fault runs with bin/stopplane chaos only");
        }
        if (ports.isEmpty()) {
            Map<String, String> common = Map.of("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap,
                    "STOPPLANE_TOPIC_PARTITIONS", "3");
            define("dispatcher", common, Map.of("STOPPLANE_DISPATCHER_STATE_DIR", state.resolve("dispatcher").toString()));
            define("dispatcher-2", common,
                    Map.of("STOPPLANE_DISPATCHER_STATE_DIR", state.resolve("dispatcher-2").toString()));
            define("api-service", common, Map.of("STOPPLANE_API_ADDRESS", "127.0.0.1", "STOPPLANE_AUTH_MODE", "none"));
            define("agent-consumer", common, Map.of("STOPPLANE_AGENT_INSTANCE_IDS", String.join(",", INSTANCES),
                    "STOPPLANE_AGENT_REGION", "cn-hangzhou", "STOPPLANE_AGENT_STOPGRACE", "3s",
                    "STOPPLANE_AGENT_STATE_DIR", state.resolve("agent").toString()));
        }
        // a stack kept from the run before: start again only what that run left dead
        List<String> wanted = new ArrayList<>(List.of("dispatcher", "api-service", "agent-consumer"));
        if (shape == Shape.TWO_DISPATCHERS) {
            wanted.add(1, "dispatcher-2");
        }
        List<String> started = new ArrayList<>();
        for (String part : wanted) {
            if (!running(part)) {
                launch(part);
                started.add(part);
            }
        }
        for (String part : started) {
            awaitHealthy(part, Duration.ofSeconds(180));
        }
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

    @Override
    public List<String> instances() {
        return INSTANCES;
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
        launch(part);
        awaitHealthy(part, Duration.ofSeconds(180));
    }

    @Override
    public String bootstrap() {
        return bootstrap;
    }

    @Override
    public String activeController() {
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

    private void define(String part, Map<String, String> common, Map<String, String> own) throws IOException {
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>(common);
        env.putAll(own);
        String module = part.startsWith("dispatcher") ? "dispatcher" : part;
        env.put(switch (module) {
            case "api-service" -> "STOPPLANE_API_PORT";
            case "dispatcher" -> "STOPPLANE_DISPATCHER_PORT";
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
