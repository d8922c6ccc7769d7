package io.stopplane.e2e;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The three services as real processes, launched from their executable jars against a given broker, the way
 * {@code bin/stopplane} runs them. Logs go to {@code target/e2e-logs/}.
 */
final class StopPlaneProcesses implements AutoCloseable {

    static final List<String> AGENT_INSTANCES = List.of("i-e2e0001", "i-e2e0002", "i-e2e0003");

    private final Path root = Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
    private final String version = System.getProperty("stopplane.version", "0.1.0-SNAPSHOT");
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private final Map<String, Map<String, String>> launched = new LinkedHashMap<>();

    StopPlaneProcesses start(String bootstrap, Path stateDir) throws IOException {
        return start(bootstrap, stateDir, Map.of());
    }

    /** @param settings extra environment for every service (each reads its own STOPPLANE_* names), e.g. short timers */
    StopPlaneProcesses start(String bootstrap, Path stateDir, Map<String, String> settings) throws IOException {
        int api = freePort();
        int dispatcher = freePort();
        int agent = freePort();
        Map<String, String> common = new LinkedHashMap<>(settings);
        common.put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap);
        common.put("STOPPLANE_TOPIC_PARTITIONS", "3");
        Map<String, String> dispatcherSettings = new LinkedHashMap<>();
        dispatcherSettings.put("STOPPLANE_DISPATCHER_PORT", String.valueOf(dispatcher));
        dispatcherSettings.put("STOPPLANE_DISPATCHER_STATE_DIR", stateDir.resolve("dispatcher").toString());
        launch("dispatcher", dispatcher, common, dispatcherSettings);
        launch("api-service", api, common, Map.of("STOPPLANE_API_PORT", String.valueOf(api),
                "STOPPLANE_API_MANAGEMENT_PORT", String.valueOf(freePort()),
                "STOPPLANE_API_ADDRESS", "127.0.0.1",
                "STOPPLANE_AUTH_MODE", settings.getOrDefault("STOPPLANE_AUTH_MODE", "none")));
        launch("agent-consumer", agent, common, Map.of("STOPPLANE_AGENT_PORT", String.valueOf(agent),
                "STOPPLANE_AGENT_INSTANCE_IDS", String.join(",", AGENT_INSTANCES),
                "STOPPLANE_AGENT_REGION", "cn-hangzhou",
                "STOPPLANE_AGENT_STOPGRACE", "3s",
                "STOPPLANE_AGENT_STATE_DIR", stateDir.resolve("agent").toString()));
        try {
            awaitHealthy();
        } catch (RuntimeException | Error e) {
            close(); // the caller never gets a handle to close: leave no process behind
            throw e;
        }
        return this;
    }

    /** Starts a part again that {@link #kill} stopped, with the same settings (state directory, port). */
    void restart(String name) throws IOException {
        Map<String, String> env = launched.get(name);
        launch(name, name, Integer.parseInt(env.get("__port")), Map.of(), env);
    }

    /** Starts one more dispatcher (same application id: they share the partitions) under {@code name}. */
    StopPlaneProcesses startDispatcher(String name, String bootstrap, Path stateDir) throws IOException {
        int port = freePort();
        launch(name, "dispatcher", port, Map.of("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap, "STOPPLANE_TOPIC_PARTITIONS", "3"),
                Map.of("STOPPLANE_DISPATCHER_PORT", String.valueOf(port),
                        "STOPPLANE_DISPATCHER_STATE_DIR", stateDir.resolve(name).toString(),
                        // no agents here: keep the timers out of the way of the events under test
                        "STOPPLANE_DISPATCHER_TIMERS_DELIVERYTIMEOUT", "1h",
                        "STOPPLANE_DISPATCHER_TIMERS_STOPTIMEOUT", "1h"));
        return this;
    }

    void awaitHealthy() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(this::allHealthy);
    }

    boolean isRunning(String name) {
        Process p = processes.get(name);
        return p != null && p.isAlive();
    }

    /** SIGKILL: no shutdown hook, no clean close, an open transaction left behind. */
    void kill(String name) throws InterruptedException {
        Process p = processes.remove(name);
        ports.remove(name);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    String apiUrl() {
        return "http://127.0.0.1:" + ports.get("api-service") + "/";
    }

    private void launch(String module, int port, Map<String, String> common, Map<String, String> env)
            throws IOException {
        launch(module, module, port, common, env);
    }

    private void launch(String name, String module, int port, Map<String, String> common, Map<String, String> env)
            throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": run the build (mvn -B verify) first");
        }
        Path logs = root.resolve("e2e-tests/target/e2e-logs");
        Files.createDirectories(logs);
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString());
        pb.environment().putAll(common);
        pb.environment().putAll(env);
        pb.environment().remove("__port");
        Map<String, String> remembered = new LinkedHashMap<>(common);
        remembered.putAll(env);
        remembered.put("__port", String.valueOf(port));
        launched.put(name, remembered);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        processes.put(name, pb.start());
        ports.put(name, port);
    }

    /** Where a part's Actuator answers: its port, or the api-service's management port (apart from its API). */
    private String healthPort(String name) {
        return launched.get(name).getOrDefault("STOPPLANE_API_MANAGEMENT_PORT", String.valueOf(ports.get(name)));
    }

    private boolean allHealthy() {
        for (Map.Entry<String, Process> e : processes.entrySet()) {
            if (!e.getValue().isAlive()) {
                throw new IllegalStateException(e.getKey() + " exited with " + e.getValue().exitValue()
                        + "; see e2e-tests/target/e2e-logs/" + e.getKey() + ".log");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + healthPort(e.getKey()) + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return false;
                }
            } catch (IOException ex) {
                return false;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        List<String> order = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(order);
        for (String module : order) {
            Process p = processes.get(module);
            p.descendants().forEach(all::add);
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
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
