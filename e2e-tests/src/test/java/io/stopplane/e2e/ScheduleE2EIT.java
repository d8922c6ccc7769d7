package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Scheduled invocations end to end, the dispatcher issuing each run to real agents on a real broker: runs are counted
 * and each has its record; a stop kills the run in progress and no run follows; a stop accepted while the agent is away
 * wins when it returns. On the {@link SharedStack.ShortTimers} stack: the schedules' minimum intervals lowered
 * (test-only settings); the agent killed in one test, and restored.
 */
@ExtendWith(SharedStack.ShortTimers.class)
class ScheduleE2EIT {

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
    void aCronOnTwoInstancesRunsAgainAndAgainCountedAndEachRunHasItsRecord() {
        List<String> targets = stack.agentInstances().subList(0, 2);
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "echo ran; exit 0",
                "InstanceId.1", targets.get(0), "InstanceId.2", targets.get(1), "Timeout", "1",
                "Frequency", "*/3 * * ? * *").get("InvokeId").asString();
        JsonNode created = api.invocation(invokeId);
        assertThat(created.get("RepeatMode").asString()).isEqualTo("Period");
        assertThat(created.get("Frequency").asString()).isEqualTo("*/3 * * ? * *");
        assertThat(created.get("InvokeStatus").asString()).isEqualTo("Running");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String target : targets) {
                JsonNode i = api.instance(invokeId, target);
                assertThat(i.get("Repeats").asInt()).isGreaterThanOrEqualTo(2);
            }
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode results = api.ok("DescribeInvocationResults", "InvokeId", invokeId, "IncludeHistory", "true",
                    "ContentEncoding", "PlainText", "MaxResults", "50").get("Invocation");
            List<JsonNode> runs = rows(results);
            for (String target : targets) {
                List<JsonNode> mine = runs.stream().filter(r -> r.get("InstanceId").asString().equals(target))
                        .filter(r -> r.get("InvokeRecordStatus").asString().equals("Finished")).toList();
                assertThat(mine).hasSizeGreaterThanOrEqualTo(2);
                assertThat(mine).allSatisfy(r -> {
                    assertThat(r.get("Output").asString()).isEqualTo("ran\n");
                    assertThat(r.get("ExitCode").asInt()).isZero();
                    assertThat(r.get("FinishedTime").asString()).isNotBlank();
                });
                assertThat(mine.stream().map(r -> r.get("Repeats").asInt()).distinct()).hasSize(mine.size());
            }
        });
        JsonNode page = api.ok("DescribeInvocationResults", "InvokeId", invokeId, "IncludeHistory", "true",
                "MaxResults", "1").get("Invocation");
        assertThat(rows(page)).hasSize(1);
        assertThat(page.get("NextToken").asString()).isNotEmpty();

        api.ok("StopInvocation", "InvokeId", invokeId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));
    }

    @Test
    void aStopDuringARunKillsItsTreeAndNoRunFollows() {
        String marker = "3000." + ThreadLocalRandom.current().nextInt(100_000, 999_999) + "3";
        String target = stack.agentInstances().get(2);
        // the run forks a child that outlives its shell unless the whole tree is killed
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent",
                "sh -c 'sleep " + marker + "' & wait", "InstanceId.1", target, "Timeout", "5",
                "Frequency", "rate(6s)").get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Processes.sleeps(marker).size() == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.instance(invokeId, target).get("InvocationStatus").asString()).isEqualTo("Running"));
        List<ProcessHandle> sleeps = Processes.sleeps(marker);

        api.ok("StopInvocation", "InvokeId", invokeId);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode inv = api.invocation(invokeId);
            assertThat(inv.get("InvocationStatus").asString()).isEqualTo("Stopped");
            assertThat(inv.get("InvokeStatus").asString()).isEqualTo("Stopped");
            assertThat(inv.get("Timed").asBoolean()).isFalse();
            assertThat(api.instance(invokeId, target).get("InvocationStatus").asString()).isEqualTo("Terminated");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sleeps).noneMatch(Processes::running));
        int repeats = api.instance(invokeId, target).get("Repeats").asInt();
        // two more periods: no run starts
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(Processes.sleeps(marker)).noneMatch(Processes::running);
            assertThat(api.instance(invokeId, target).get("Repeats").asInt()).isEqualTo(repeats);
            assertThat(api.instance(invokeId, target).get("InvocationStatus").asString()).isEqualTo("Terminated");
        });
    }

    @Test
    void aStopSentWhileTheAgentIsAwayWinsAndTheScheduleNeverFiresAgain() throws Exception {
        String target = stack.agentInstances().get(1);
        Path count = state.resolve("count-" + ThreadLocalRandom.current().nextInt(1_000_000));
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "echo x >> " + count,
                "InstanceId.1", target, "Timeout", "1", "Frequency", "rate(3s)").get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.instance(invokeId, target).get("Repeats").asInt()).isGreaterThanOrEqualTo(1));
        stack.kill("agent-consumer");
        try {
            api.ok("StopInvocation", "InvokeId", invokeId);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.instance(invokeId, target).get("InvocationStatus").asString())
                            .isEqualTo("Stopping"));
            int repeats = api.instance(invokeId, target).get("Repeats").asInt();
            long lines = lines(count);
            stack.restart("agent-consumer");
            stack.awaitHealthy();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));
            await().during(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(api.instance(invokeId, target).get("Repeats").asInt()).isEqualTo(repeats);
                assertThat(lines(count)).isEqualTo(lines);
            });
        } finally {
            if (!stack.isRunning("agent-consumer")) {
                stack.restart("agent-consumer");
            }
        }
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static List<JsonNode> rows(JsonNode invocation) {
        List<JsonNode> rows = new ArrayList<>();
        invocation.get("InvocationResults").get("InvocationResult").forEach(rows::add);
        return rows;
    }
}
