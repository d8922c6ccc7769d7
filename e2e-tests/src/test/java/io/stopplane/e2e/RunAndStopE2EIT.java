package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static io.stopplane.e2e.Processes.sleeps;
import static io.stopplane.e2e.Processes.uniqueSleep;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The walking skeleton end to end: HTTP → api-service → Kafka → agent-consumer (real /bin/sh processes) → events →
 * dispatcher → invocation-state → api-service view, with the three services as separate processes on a real broker.
 */
@EmbeddedKafka(brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class RunAndStopE2EIT {

    @TempDir
    static Path state;

    private static StopPlaneProcesses stack;
    private static RpcClient api;

    @BeforeAll
    static void startStack() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        stack = new StopPlaneProcesses().start(broker.getBrokersAsString(), state);
        api = new RpcClient(stack.apiUrl());
        api.awaitOnline(StopPlaneProcesses.AGENT_INSTANCES);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void stopKillsTheRunningProcessesOnBothInstances() {
        String marker = uniqueSleep();
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep " + marker,
                "InstanceId.1", "i-e2e0001", "InstanceId.2", "i-e2e0002", "Timeout", "600").get("InvokeId").asString();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Running"));
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps(marker).size() == 2);
        List<ProcessHandle> sleeps = sleeps(marker);

        api.ok("StopInvocation", "InvokeId", invokeId);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode inv = api.invocation(invokeId);
            assertThat(inv.get("InvocationStatus").asString()).isEqualTo("Stopped");
            assertThat(inv.get("InvokeStatus").asString()).isEqualTo("Stopped");
            for (JsonNode i : inv.get("InvokeInstances").get("InvokeInstance")) {
                assertThat(i.get("InvocationStatus").asString()).isEqualTo("Terminated");
                assertThat(i.get("ErrorCode").asString()).isEqualTo("ExecutionInterrupted");
                assertThat(i.get("ExitCode").asInt()).isIn(143, 137);
                assertThat(i.get("StopTime").asString()).isNotBlank();
            }
        });
        // killed; an orphaned child may linger as a zombie until init reaps it, which the JDK still counts as alive
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sleeps).noneMatch(Processes::running);
            assertThat(sleeps(marker)).noneMatch(Processes::running);
        });
    }

    @Test
    void stoppingOneOfTwoInstancesLeavesTheOtherRunning() {
        String marker = uniqueSleep();
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep " + marker,
                "InstanceId.1", "i-e2e0002", "InstanceId.2", "i-e2e0003").get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps(marker).size() == 2);

        api.ok("StopInvocation", "InvokeId", invokeId, "InstanceId.1", "i-e2e0003");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.instance(invokeId, "i-e2e0003").get("InvocationStatus").asString())
                        .isEqualTo("Terminated"));
        assertThat(api.instance(invokeId, "i-e2e0002").get("InvocationStatus").asString()).isEqualTo("Running");
        assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Running");
        assertThat(sleeps(marker)).filteredOn(Processes::running).hasSize(1);

        api.ok("StopInvocation", "InvokeId", invokeId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sleeps(marker)).noneMatch(Processes::running));
    }

    @Test
    void aCommandThatExitsThreeEndsFailedWithExitCodeThree() {
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "echo bye; exit 3",
                "InstanceId.1", "i-e2e0001").get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode i = api.instance(invokeId, "i-e2e0001");
            assertThat(i.get("InvocationStatus").asString()).isEqualTo("Failed");
            assertThat(i.get("ExitCode").asInt()).isEqualTo(3);
            assertThat(i.get("ErrorCode").asString()).isEqualTo("ExitCodeNonzero");
            assertThat(i.get("Output").asString()).isEqualTo("bye\n");
        });
        assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Failed");
        // stopping a finished invocation is idempotent: 200 and nothing changes
        api.ok("StopInvocation", "InvokeId", invokeId);
        assertThat(api.instance(invokeId, "i-e2e0001").get("InvocationStatus").asString()).isEqualTo("Failed");
    }
}
