package io.stopplane.stack.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a launched stack lives and how it is wired, from a source root and an environment (the {@code STOPPLANE_*}
 * settings of docs/running.md): the state directory ({@code <root>/.stopplane}, or {@code STOPPLANE_STATE_DIR}), its
 * pid files, logs and broker data, each part's port, the timeouts, and the marker every launched process carries. The
 * layout is {@code bin/stopplane}'s since its bash days, so an existing {@code .stopplane/} keeps working.
 *
 * @param env the environment the launched processes inherit (without a marker of another stack)
 */
public record LaunchConfig(Path root, Path run, Map<String, String> env, int apiPort, int apiManagementPort,
        int kafkaPort, int kafkaControllerPort, int dispatcherPort, int agentPort, int gatewayPort,
        int gatewayManagementPort, int agentInstanceCount, String agentRegion, List<String> kafkaHeapOpts,
        List<String> serviceJavaOpts, Duration kafkaStartTimeout, Duration serviceStartTimeout, Duration stopTimeout) {

    public static final String KAFKA_VERSION = "4.1.2";
    public static final String KAFKA = "kafka";
    public static final List<String> SERVICES = List.of("api-service", "dispatcher", "agent-gateway", "agent-consumer");
    public static final List<String> PARTS = List.of(KAFKA, "api-service", "dispatcher", "agent-gateway",
            "agent-consumer");

    public static LaunchConfig of(Path root, Map<String, String> environment) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        // never pass another stack's marker on (it is only for what that stack launched)
        env.remove("STOPPLANE_RUN_DIR");
        Path run = env.containsKey("STOPPLANE_STATE_DIR") && !env.get("STOPPLANE_STATE_DIR").isEmpty()
                ? Path.of(env.get("STOPPLANE_STATE_DIR")).toAbsolutePath().normalize()
                : root.resolve(".stopplane");
        return new LaunchConfig(root, run, Map.copyOf(env),
                port(env, "STOPPLANE_API_PORT", 8080), port(env, "STOPPLANE_API_MANAGEMENT_PORT", 8180),
                port(env, "STOPPLANE_KAFKA_PORT", 9092), port(env, "STOPPLANE_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "STOPPLANE_DISPATCHER_PORT", 8081), port(env, "STOPPLANE_AGENT_PORT", 8082),
                port(env, "STOPPLANE_GATEWAY_PORT", 8083), port(env, "STOPPLANE_GATEWAY_MANAGEMENT_PORT", 8183),
                number(env, "STOPPLANE_AGENT_INSTANCE_COUNT", 3), text(env, "STOPPLANE_AGENT_REGION", "cn-hangzhou"),
                words(text(env, "STOPPLANE_KAFKA_HEAP_OPTS", "-Xms256m -Xmx1g")),
                words(text(env, "STOPPLANE_JAVA_OPTS", "-Xms64m -Xmx512m")),
                Duration.ofSeconds(number(env, "STOPPLANE_KAFKA_START_TIMEOUT", 90)),
                Duration.ofSeconds(number(env, "STOPPLANE_START_TIMEOUT", 180)),
                Duration.ofSeconds(number(env, "STOPPLANE_STOP_TIMEOUT", 15)));
    }

    public Path pidDir() {
        return run.resolve("pids");
    }

    public Path logDir() {
        return run.resolve("logs");
    }

    public Path kafkaDir() {
        return run.resolve("kafka");
    }

    /** The broker's jars: one copy per checkout ({@code <root>/.stopplane/broker}), whatever the state directory. */
    public Path brokerHome() {
        return root.resolve(".stopplane/broker");
    }

    public Path brokerLib() {
        return brokerHome().resolve("lib");
    }

    public Path brokerTools() {
        return root.resolve("tools/broker");
    }

    /** Kafka SCRAM passwords of this stack, one per principal (random, made on first start, 0600). */
    public Path kafkaCredentials() {
        return run.resolve("kafka-credentials");
    }

    /** The --auth file of the last {@code up} (its absolute path), remembered for {@code start <part>}. */
    public Path authFileRef() {
        return run.resolve("auth-credentials");
    }

    public Path pidFile(String part) {
        return pidDir().resolve(part + ".pid");
    }

    public Path log(String part) {
        return logDir().resolve(part + ".log");
    }

    /** Every launched process carries this in its environment (its children inherit it)... */
    public String markEnv() {
        return "STOPPLANE_RUN_DIR=" + run;
    }

    /** ...and the JVMs this on their command line. */
    public String markArg() {
        return "-Dstopplane.run.dir=" + run;
    }

    public int port(String part) {
        return switch (part) {
            case KAFKA -> kafkaPort;
            case "api-service" -> apiPort;
            case "dispatcher" -> dispatcherPort;
            case "agent-gateway" -> gatewayPort;
            case "agent-consumer" -> agentPort;
            default -> throw new IllegalArgumentException(part);
        };
    }

    /** Where a service's /actuator/health answers: the API and the gateway keep Actuator off their public ports. */
    public int healthPort(String part) {
        return switch (part) {
            case "api-service" -> apiManagementPort;
            case "agent-gateway" -> gatewayManagementPort;
            default -> port(part);
        };
    }

    /** {@code <root>/<module>/target/<module>-<version>.jar} (it may not exist). */
    public Path jar(String module) {
        return root.resolve(module).resolve("target").resolve(module + "-" + io.stopplane.stack.Build.version() + ".jar");
    }

    /** A copy with other settings (e.g. the bench's stack: its state directory and instance count). */
    public LaunchConfig with(Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>(this.env);
        env.putAll(more);
        return of(root, env);
    }

    static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String v = text(env, name, String.valueOf(fallback)).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new LaunchException(name + " is not a number: '" + v + "'");
        }
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        int p = number(env, name, fallback);
        if (p < 1 || p > 65535) {
            throw new LaunchException(name + " is not a port: " + p);
        }
        return p;
    }
}
