package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.stack.Build;
import io.stopplane.stack.Services;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The stack of {@code mvn verify}: the services' executable jars as separate processes ({@link Services}, SIGKILLed and
 * started again like any process) against a broker the test owns. One stack serves several runs: {@link #down} keeps
 * it, {@link #close} stops it. Every process it starts, and every command its agent starts, carries the stack's marker,
 * so that whatever is left can be found.
 */
final class JarStack implements Stack {

    private static final String DISPATCHER_2 = "dispatcher-2";

    private final Path root = Services.sourceRoot();
    private final Path logs;
    private final Services services;

    JarStack(String bootstrap, Path state) throws IOException {
        this(bootstrap, state, Map.of(), Services.sourceRoot().resolve("chaos/target/chaos-it/logs"));
    }

    /**
     * @param env settings for every service beyond the broker's address (e.g. the cluster's replication)
     * @param logs where each part's log goes ({@code <part>.log})
     */
    JarStack(String bootstrap, Path state, Map<String, String> env, Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
        this.services = new Services(root, bootstrap, state, logs, env).defineDispatcher(DISPATCHER_2, Map.of());
    }

    @Override
    public void up(Shape shape, Path runDir) throws Exception {
        if (shape == Shape.CLUSTER) {
            throw new UnsupportedOperationException("the cluster fault runs with bin/stopplane chaos only");
        }
        // a stack kept from the run before: start again only what that run left dead
        List<String> wanted = new ArrayList<>(List.of(Services.DISPATCHER, Services.API, Services.GATEWAY));
        if (shape == Shape.TWO_DISPATCHERS) {
            wanted.add(1, DISPATCHER_2);
        }
        startTogether(wanted.stream().filter(part -> !services.isRunning(part)).toList());
    }

    /** Launches the parts at once, then waits for each to be healthy; then the agent, if it is not running. */
    void startTogether(List<String> parts) throws Exception {
        for (String part : parts) {
            services.start(part);
        }
        for (String part : parts) {
            awaitHealthy(part);
        }
        if (!services.isRunning(Services.AGENT)) {
            activate();
            services.start(Services.AGENT);
            awaitHealthy(Services.AGENT);
        }
    }

    /** The agent registers through an activation, created as any user would: {@code CreateActivation}. */
    private void activate() {
        if (services.activated()) {
            return;
        }
        Rpc.Answer answer = new Rpc(apiBase(), new Tally()).call("CreateActivation", "InstanceName", "chaos",
                "InstanceCount", String.valueOf(Services.AGENT_INSTANCES));
        if (!answer.ok()) {
            throw new IllegalStateException("CreateActivation: " + answer);
        }
        services.activate(new Services.Activation(answer.body().get("ActivationId").asString(),
                answer.body().get("ActivationCode").asString()));
    }

    @Override
    public String apiBase() {
        return services.apiUrl();
    }

    @Override
    public Map<String, Integer> servicePorts() {
        Map<String, Integer> p = new LinkedHashMap<>();
        for (String part : services.runningParts()) {
            p.put(part, services.healthPort(part));
        }
        return p;
    }

    /** The instance ids registration gave the agent, as its health names them. */
    @Override
    public List<String> instances() {
        try {
            return services.agentInstances();
        } catch (IOException e) {
            throw new IllegalStateException("the agent's health", e);
        }
    }

    @Override
    public void kill(String part) throws Exception {
        services.kill(part);
    }

    @Override
    public void start(String part) throws Exception {
        services.start(part);
        awaitHealthy(part);
    }

    @Override
    public String bootstrap() {
        return services.bootstrap();
    }

    /** The embedded broker has no authentication. */
    @Override
    public Map<String, Object> adminConfig() {
        return Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
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
        Path jar = Build.jar(root, "audit");
        try {
            Path out = Files.createTempFile("audit-verify", ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "verify").redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap());
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

    /**
     * An embedded KRaft broker for a stack of this kind: one node, three partitions for the internal topics, no topic
     * created by a client's mistake, no rebalance delay.
     */
    static EmbeddedKafkaBroker embeddedBroker() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 3).brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0", "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
        return broker;
    }

    /**
     * Stops everything (services first) and asserts that nothing is still alive after that: no service, and no command
     * of the agent's (an agent that stops kills its commands first, whatever else fails).
     */
    void assertNothingLeftOnceStopped() throws InterruptedException {
        assertThat(stopAll()).as("processes left once the stack was stopped; the agent's log ends with:%n%s",
                logTail(Services.AGENT, 60)).isEmpty();
    }

    /** Stops everything (services first), and returns what is still alive after that: must be nothing. */
    List<String> stopAll() throws InterruptedException {
        services.stopParts();
        AtomicReference<List<String>> left = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> { left.set(services.marked()); return left.get().isEmpty(); });
        } catch (ConditionTimeoutException e) {
            // the caller reports what is left
        }
        return left.get();
    }

    /** The last lines of a part's log, for a failure message (CI shows the test's output, not the logs). */
    String logTail(String part, int lines) {
        return services.logTail(part, lines);
    }

    /** Stops everything, and never leaves a command behind, whatever the test said about it. */
    @Override
    public void close() {
        services.close();
    }

    private void awaitHealthy(String part) {
        await().alias(part + " healthy (log: " + logs.resolve(part + ".log") + ")").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> services.healthy(part));
    }
}
