package io.stopplane.e2e;

import static org.awaitility.Awaitility.await;

import io.stopplane.stack.Services;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The four services as real processes ({@link Services}, the stack library's wiring, as {@code bin/stopplane} runs
 * them) against a given broker: the agent last, registered through the gateway with an activation created by
 * {@code CreateActivation}; its instance ids are learned from its health. Logs go to {@code target/e2e-logs/}.
 */
final class StopPlaneProcesses implements AutoCloseable {

    private static final Path LOGS = Services.sourceRoot().resolve("e2e-tests/target/e2e-logs");

    private Services services;
    private List<String> agentInstances = List.of();
    private String activationKeyId;
    private String activationKeySecret;

    /** In signature mode: the key that creates the agent's activation, so its instances belong to that key's account. */
    StopPlaneProcesses activatedBy(String accessKeyId, String accessKeySecret) {
        this.activationKeyId = accessKeyId;
        this.activationKeySecret = accessKeySecret;
        return this;
    }

    StopPlaneProcesses start(String bootstrap, Path stateDir) throws IOException {
        return start(bootstrap, stateDir, Map.of());
    }

    /** @param settings extra environment for every service (each reads its own STOPPLANE_* names), e.g. short timers */
    StopPlaneProcesses start(String bootstrap, Path stateDir, Map<String, String> settings) throws IOException {
        services = new Services(Services.sourceRoot(), bootstrap, stateDir, LOGS, settings);
        try {
            for (String part : List.of(Services.DISPATCHER, Services.API, Services.GATEWAY)) {
                services.start(part);
            }
            awaitHealthy();
            // The same path as any user: the API's CreateActivation, its answer handed to the agent.
            JsonNode activation = new RpcClient(apiUrl(), activationKeyId, activationKeySecret).ok("CreateActivation",
                    "InstanceName", "e2e", "InstanceCount", String.valueOf(Services.AGENT_INSTANCES));
            services.activate(new Services.Activation(activation.get("ActivationId").asString(),
                    activation.get("ActivationCode").asString()));
            services.start(Services.AGENT);
            awaitHealthy();
            agentInstances = services.agentInstances();
        } catch (IOException | RuntimeException | Error e) {
            close(); // the caller never gets a handle to close: leave no process behind
            throw e;
        }
        return this;
    }

    /** Starts a part again that {@link #kill} stopped, with the same settings (state directory, port). */
    void restart(String name) throws IOException {
        services.start(name);
    }

    /** Starts one more dispatcher (same application id: they share the partitions) under {@code name}. */
    StopPlaneProcesses startDispatcher(String name, String bootstrap, Path stateDir) throws IOException {
        if (services == null) {
            services = new Services(Services.sourceRoot(), bootstrap, stateDir, LOGS, Map.of());
        }
        // no agents here: keep the timers out of the way of the events under test
        services.defineDispatcher(name, Map.of("STOPPLANE_DISPATCHER_TIMERS_DELIVERYTIMEOUT", "1h",
                "STOPPLANE_DISPATCHER_TIMERS_STOPTIMEOUT", "1h"));
        services.start(name);
        return this;
    }

    void awaitHealthy() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(services::allHealthy);
    }

    boolean isRunning(String name) {
        return services.isRunning(name);
    }

    /** SIGKILL: no shutdown hook, no clean close, an open transaction left behind. */
    void kill(String name) throws InterruptedException {
        services.kill(name);
    }

    /** The instance ids registration gave the agent, in the order its health lists them. */
    List<String> agentInstances() {
        return agentInstances;
    }

    String apiUrl() {
        return services.apiUrl();
    }

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
    }
}
