package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;

/**
 * The broker killed for good, on a broker of its own (an embedded broker cannot be started again, so no other test may
 * share it): clients still hear within the API's configured dispatch budget, reads answer from the view, health says
 * why, and once the stack is stopped nothing it ran is left, though the agent's report could not be sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerDownIT {

    /** The API's budget for one publish; past it (about 1.5 × in all) the client gets {@code InternalError.Dispatch}. */
    private static final Duration DISPATCH_TIMEOUT = Duration.ofSeconds(3);

    private Path state;
    private EmbeddedKafkaBroker broker;
    private JarStack stack;
    private final Path out = Path.of(System.getProperty("stopplane.root", ".."), "chaos/target/broker-down-it")
            .toAbsolutePath().normalize();

    @BeforeAll
    void startStack() throws Exception {
        broker = JarStack.embeddedBroker();
        state = Files.createTempDirectory("broker-down-it-");
        stack = new JarStack(broker.getBrokersAsString(), state,
                Map.of("STOPPLANE_API_DISPATCHTIMEOUT", DISPATCH_TIMEOUT.toMillis() + "ms"), out.resolve("logs"));
        stack.up(Stack.Shape.SINGLE, out);
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            stack.assertNothingLeftOnceStopped();
        } finally {
            stack.close();
            if (broker != null) {
                broker.destroy();
            }
            LauncherStack.deleteTree(state);
        }
    }

    @Test
    void withTheBrokerDeadClientsHearWithinTheBudgetAndHealthSaysWhy() throws Exception {
        Rpc rpc = new Rpc(stack.apiBase(), new Tally());
        String invokeId = rpc.call("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep 300.0815",
                "InstanceId.1", stack.instances().get(0), "Timeout", "600").body().get("InvokeId").asString();
        awaitStatus(rpc, invokeId, "Running");

        broker.destroy(); // returns once the broker has shut down
        broker = null;

        long bound = 2 * DISPATCH_TIMEOUT.toMillis();
        Rpc.Answer stop = rpc.call("StopInvocation", "InvokeId", invokeId);
        assertThat(stop.kind()).as(stop.toString()).isEqualTo(Rpc.Kind.SERVER_ERROR);
        assertThat(stop.code()).isEqualTo("InternalError.Dispatch");
        assertThat(stop.millis()).as("within the configured budget: %s", stop).isLessThan(bound);

        Rpc.Answer read = rpc.call("DescribeInvocations", "InvokeId", invokeId);
        assertThat(read.ok()).as(read.toString()).isTrue();
        assertThat(Load.invocation(read.body(), "InvocationStatus")).as("the last known state").isEqualTo("Running");

        for (Map.Entry<String, Integer> s : stack.servicePorts().entrySet()) {
            if (s.getKey().equals("agent-consumer")) {
                // no Kafka client: it stays connected to the gateway, which holds the connection through the outage
                assertThat(Rpc.status(rpc.health(s.getValue()))).as("agent health with the broker down").isEqualTo("UP");
                continue;
            }
            JsonNode health = awaitHealth(rpc, s.getValue(), "DOWN");
            assertThat(Rpc.status(health)).as("%s health: %s", s.getKey(), health).isEqualTo("DOWN");
            JsonNode brokerHealth = health.path("components").path("broker");
            assertThat(Rpc.status(brokerHealth)).as("%s health: %s", s.getKey(), health).isEqualTo("DOWN");
            assertThat(brokerHealth.path("details").path("error").asString()).contains("no broker answers at");
            assertThat(brokerHealth.path("details").path("consequence").asString()).isNotBlank();
        }
        // a second stop is as bounded as the first (the producer that failed was closed, a new one tries)
        Rpc.Answer again = rpc.call("StopInvocation", "InvokeId", invokeId);
        assertThat(again.code()).as(again.toString()).isEqualTo("InternalError.Dispatch");
        assertThat(again.millis()).as("within the configured budget: %s", again).isLessThan(bound);
    }

    private static void awaitStatus(Rpc rpc, String invokeId, String status) {
        await().alias(invokeId + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Load.invocation(rpc.call("DescribeInvocations", "InvokeId", invokeId).body(),
                        "InvocationStatus"), status::equals);
    }

    /** The health once it says {@code status}, or the last one seen after 10 s (the caller's assertions say why). */
    private static JsonNode awaitHealth(Rpc rpc, int port, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> { last.set(rpc.health(port)); return status.equals(Rpc.status(last.get())); });
        } catch (ConditionTimeoutException e) {
            // reported by the assertions on what was last seen
        }
        return last.get();
    }
}
