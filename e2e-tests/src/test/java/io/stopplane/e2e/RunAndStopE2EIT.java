package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static io.stopplane.e2e.Processes.sleeps;
import static io.stopplane.e2e.Processes.uniqueSleep;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The walking skeleton end to end: HTTP → api-service → Kafka → agent-consumer (real /bin/sh processes) → events →
 * dispatcher → invocation-state → api-service view, with the services as separate processes on a real broker (the
 * {@link SharedStack}), each call signed with the operator's key.
 */
@ExtendWith(SharedStack.Signed.class)
class RunAndStopE2EIT {

    private static SharedStack stack;
    private static RpcClient api;

    @BeforeAll
    static void onTheSharedStack(SharedStack shared) {
        stack = shared;
        api = shared.operator();
        api.awaitOnline(stack.agentInstances());
    }

    @Test
    void stopKillsTheRunningProcessesOnBothInstances() {
        String marker = uniqueSleep();
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep " + marker,
                "InstanceId.1", stack.agentInstances().get(0), "InstanceId.2", stack.agentInstances().get(1), "Timeout", "600").get("InvokeId").asString();

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
                "InstanceId.1", stack.agentInstances().get(1), "InstanceId.2", stack.agentInstances().get(2)).get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps(marker).size() == 2);

        api.ok("StopInvocation", "InvokeId", invokeId, "InstanceId.1", stack.agentInstances().get(2));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.instance(invokeId, stack.agentInstances().get(2)).get("InvocationStatus").asString())
                        .isEqualTo("Terminated"));
        assertThat(api.instance(invokeId, stack.agentInstances().get(1)).get("InvocationStatus").asString()).isEqualTo("Running");
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
                "InstanceId.1", stack.agentInstances().get(0)).get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode i = api.instance(invokeId, stack.agentInstances().get(0));
            assertThat(i.get("InvocationStatus").asString()).isEqualTo("Failed");
            assertThat(i.get("ExitCode").asInt()).isEqualTo(3);
            assertThat(i.get("ErrorCode").asString()).isEqualTo("ExitCodeNonzero");
            assertThat(i.get("Output").asString()).isEqualTo("bye\n");
        });
        assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Failed");
        // stopping a finished invocation is idempotent: 200 and nothing changes
        api.ok("StopInvocation", "InvokeId", invokeId);
        assertThat(api.instance(invokeId, stack.agentInstances().get(0)).get("InvocationStatus").asString()).isEqualTo("Failed");
    }
}
