package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * The part of the fault suite that {@code mvn verify} runs, on a small load through the HTTP API: the services as real
 * processes, SIGKILLed while it runs. Faults 2 (dispatchers) and 3 (agent) with every count of the full suite, then the
 * broker killed for good: the client still hears within bounds. The whole suite, all five faults on the launcher's
 * stack, is {@code bin/stopplane chaos}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosFaultsIT {

    /** Fault 2 both ways in one run: one of two dispatchers killed, then the other killed and started again. */
    static final Fault DISPATCHERS = new Fault("2-dispatchers",
            "two dispatchers: one SIGKILLed, then the other SIGKILLed and restarted", Stack.Shape.TWO_DISPATCHERS,
            false, c -> {
                c.kill("dispatcher");
                c.note("dispatcher killed, dispatcher-2 takes its partitions over");
                c.sleep(c.settings().outage());
                c.kill("dispatcher-2");
                long down = System.nanoTime();
                c.sleepUntil(down, c.settings().outage());
                c.start("dispatcher-2");
                c.note("no dispatcher for %.1f s; dispatcher-2 restored its store and caught up",
                        (System.nanoTime() - down) / 1e9);
            });

    private Path state;
    private EmbeddedKafkaBroker broker;
    private JarStack stack;
    private final List<RunResult> results = new ArrayList<>();
    private final Path out = Path.of(System.getProperty("stopplane.root", ".."), "chaos/target/chaos-it")
            .toAbsolutePath().normalize();

    @BeforeAll
    void startBroker() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 3).brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0", "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
        state = Files.createTempDirectory("chaos-it-");
        stack = new JarStack(broker.getBrokersAsString(), state);
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            List<String> left = stack.stopAll();
            assertThat(left).as("processes left once the stack was stopped; the agent's log ends with:%n%s",
                    stack.logTail("agent-consumer", 60)).isEmpty();
        } finally {
            stack.close();
            if (broker != null) {
                broker.destroy();
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.md"), Report.block(results), StandardCharsets.UTF_8);
            LauncherStack.deleteTree(state);
        }
    }

    @Test
    @Order(1)
    void dispatchersKilledUnderLoadLoseAndDuplicateNothing() throws Exception {
        assertPassed(run(DISPATCHERS));
    }

    @Test
    @Order(2)
    void theAgentKilledWhileCommandsRunAndStopsAreInFlightLosesAndDuplicatesNothing() throws Exception {
        assertPassed(run(Fault.AGENT));
    }

    /** Last: the embedded broker cannot be started again. */
    @Test
    @Order(3)
    void withTheBrokerDeadClientsHearWithinBoundsAndHealthSaysWhy() throws Exception {
        stack.up(Stack.Shape.SINGLE, out.resolve("broker-down"));
        Rpc rpc = new Rpc(stack.apiBase(), new Tally());
        String invokeId = rpc.call("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep 300.0815",
                "InstanceId.1", stack.instances().get(0), "Timeout", "600").body().get("InvokeId").asString();
        awaitStatus(rpc, invokeId, "Running");

        broker.destroy(); // returns once the broker has shut down
        broker = null;

        Rpc.Answer stop = rpc.call("StopInvocation", "InvokeId", invokeId);
        assertThat(stop.kind()).as(stop.toString()).isEqualTo(Rpc.Kind.SERVER_ERROR);
        assertThat(stop.code()).isEqualTo("InternalError.Dispatch");
        assertThat(stop.millis()).as(stop.toString()).isLessThan(10_000);

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
        assertThat(again.millis()).as(again.toString()).isLessThan(10_000);
    }

    private RunResult run(Fault fault) throws Exception {
        Path runDir = out.resolve(fault.id());
        RunResult r = new ChaosRun(stack, Settings.verify(), runDir,
                m -> System.out.printf("[chaos %s] %s%n", fault.id(), m)).run(fault);
        results.add(r);
        System.out.print(Report.table(List.of(r)));
        System.out.print(Report.details(List.of(r)));
        return r;
    }

    private static void assertPassed(RunResult r) {
        assertThat(r.problems()).as("problems of %s", r.fault()).isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(r.invocations()).as("invocations created").isPositive();
        assertThat(r.stopsAccepted()).as("stops accepted").isPositive();
        assertThat(r.stopsLanded()).isEqualTo(r.stopsAccepted());
        assertThat(r.wrongState()).isZero();
        assertThat(r.ranTwice()).isZero();
        assertThat(r.aliveAfterStop()).isZero();
        assertThat(r.hangs()).isZero();
        assertThat(r.auditOk()).as(r.audit()).isTrue();
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
