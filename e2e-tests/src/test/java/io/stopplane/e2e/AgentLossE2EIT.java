package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The dispatcher's timers against a real agent that dies: a stop it cannot acknowledge stays visible as Stopping with a
 * reason and completes when the agent comes back; a run no agent picks up is Aborted after the (shortened) delivery
 * timeout and never starts late. On the {@link SharedStack.ShortTimers} stack (a 4 s delivery timeout, a 2 s stop
 * timeout); the agent killed in each test, and restored.
 */
@ExtendWith(SharedStack.ShortTimers.class)
class AgentLossE2EIT {

    private static Path state;
    private static StopPlaneProcesses stack;
    private static RpcClient api;

    @BeforeAll
    static void onTheShortTimersStack(SharedStack shared) {
        state = shared.state();
        stack = shared.processes();
        api = new RpcClient(shared.apiUrl());
        api.awaitOnline(stack.agentInstances());
    }

    @Test
    void aStopWhileTheAgentIsDeadStaysStoppingWithAReasonThenCompletes() throws Exception {
        String marker = "3000." + ThreadLocalRandom.current().nextInt(100_000, 999_999) + "7";
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep " + marker,
                "InstanceId.1", stack.agentInstances().get(0), "Timeout", "600").get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.instance(invokeId, stack.agentInstances().get(0)).get("InvocationStatus").asString())
                        .isEqualTo("Running"));
        List<ProcessHandle> sleeps = Processes.sleeps(marker);
        assertThat(sleeps).hasSize(1);

        stack.kill("agent-consumer");
        try {
            api.ok("StopInvocation", "InvokeId", invokeId);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode i = api.instance(invokeId, stack.agentInstances().get(0));
                assertThat(i.get("InvocationStatus").asString()).isEqualTo("Stopping");
                assertThat(i.get("ErrorInfo").asString()).contains("not been acknowledged");
            });
            assertThat(sleeps).allMatch(Processes::running); // nobody has killed it yet

            stack.restart("agent-consumer");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode i = api.instance(invokeId, stack.agentInstances().get(0));
                assertThat(i.get("InvocationStatus").asString()).isEqualTo("Terminated");
                assertThat(i.get("ErrorCode").asString()).isEqualTo("ExecutionInterrupted");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sleeps).noneMatch(Processes::running));
            assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped");
        } finally {
            if (!stack.isRunning("agent-consumer")) {
                stack.restart("agent-consumer");
            }
        }
        stack.awaitHealthy();
    }

    @Test
    void aRunNoAgentPicksUpIsAbortedAndNeverStartsLate() throws Exception {
        stack.awaitHealthy();
        stack.kill("agent-consumer");
        try {
            String file = state.resolve("late-" + ThreadLocalRandom.current().nextInt(1_000_000)).toString();
            String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "touch " + file,
                    "InstanceId.1", stack.agentInstances().get(1)).get("InvokeId").asString();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode i = api.instance(invokeId, stack.agentInstances().get(1));
                assertThat(i.get("InvocationStatus").asString()).isEqualTo("Aborted");
                assertThat(i.get("ErrorCode").asString()).isIn("ClientNotRunning", "DeliveryTimeout");
            });
            stack.restart("agent-consumer");
            stack.awaitHealthy();
            // the agent has read its backlog (health is UP only after that) and did not run the stale command
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(Path.of(file)).doesNotExist());
            assertThat(api.instance(invokeId, stack.agentInstances().get(1)).get("InvocationStatus").asString()).isEqualTo("Aborted");
        } finally {
            if (!stack.isRunning("agent-consumer")) {
                stack.restart("agent-consumer");
            }
        }
    }
}
