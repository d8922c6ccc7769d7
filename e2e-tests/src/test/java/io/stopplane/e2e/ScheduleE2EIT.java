package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Scheduled invocations end to end, the dispatcher issuing each run to real agents on a real broker: runs are counted
 * and each has its record; a stop kills the run in progress and no run follows; a stop accepted while the agent is away
 * wins when it returns; an agent SIGKILLed between two runs runs the next once; NextRebootOnly runs on one reboot and
 * EveryReboot on each (a reboot simulated: a new boot id in the agent's boot-id file, and the agent restarted). On the
 * {@link SharedStack.ShortTimers} stack: the schedules' minimum intervals lowered (test-only settings), the agent's boot
 * id read from a file of the stack's; the agent killed in some tests, and restored.
 */
@ExtendWith(SharedStack.ShortTimers.class)
class ScheduleE2EIT {

    private static Path state;
    private static StopPlaneProcesses stack;
    private static RpcClient api;
    /** What the agent reads as its host's boot id ({@code stopplane.agent.boot-id-file}). */
    private static Path bootId;

    @BeforeAll
    static void onTheShortTimersStack(SharedStack shared) {
        state = shared.state();
        stack = shared.processes();
        bootId = shared.bootIdFile();
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

    @Test
    void anAgentSigkilledBetweenTwoRunsRunsTheNextOnceAndNoRunIsDoubled() throws Exception {
        String target = stack.agentInstances().get(2);
        Path count = state.resolve("sigkill-" + ThreadLocalRandom.current().nextInt(1_000_000));
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "echo x >> " + count,
                "InstanceId.1", target, "Timeout", "1", "Frequency", "rate(4s)").get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode i = api.instance(invokeId, target);
            assertThat(i.get("Repeats").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(i.get("InvocationStatus").asString()).isEqualTo("Scheduled");
        });
        int before = api.instance(invokeId, target).get("Repeats").asInt();
        stack.kill("agent-consumer");
        try {
            stack.restart("agent-consumer");
            stack.awaitHealthy();
            // Between runs, every run counted has appended its line exactly once: a run done twice (the one the
            // agent was killed before, redelivered) would leave a line more than Repeats for good.
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                JsonNode i = api.instance(invokeId, target);
                assertThat(i.get("Repeats").asInt()).isGreaterThanOrEqualTo(before + 2);
                assertThat(i.get("InvocationStatus").asString()).isEqualTo("Scheduled");
                assertThat(lines(count)).isEqualTo(i.get("Repeats").asLong());
            });
            api.ok("StopInvocation", "InvokeId", invokeId);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));
            int repeats = api.instance(invokeId, target).get("Repeats").asInt();
            List<JsonNode> runs = rows(api.ok("DescribeInvocationResults", "InvokeId", invokeId, "IncludeHistory",
                    "true", "MaxResults", "50").get("Invocation"));
            assertThat(runs).as("one record per run").hasSize(repeats);
            assertThat(runs.stream().map(r -> r.get("Repeats").asInt()).distinct()).hasSize(repeats);
        } finally {
            if (!stack.isRunning("agent-consumer")) {
                stack.restart("agent-consumer");
            }
        }
    }

    @Test
    void nextRebootOnlyRunsOnceOnARebootAndEveryRebootOnEach() throws Exception {
        String target = stack.agentInstances().get(0);
        int n = ThreadLocalRandom.current().nextInt(1_000_000);
        Path onceCount = state.resolve("next-reboot-" + n);
        Path everyCount = state.resolve("every-reboot-" + n);
        String once = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "echo x >> " + onceCount,
                "InstanceId.1", target, "Timeout", "5", "RepeatMode", "NextRebootOnly").get("InvokeId").asString();
        String every = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "echo x >> " + everyCount,
                "InstanceId.1", target, "Timeout", "5", "RepeatMode", "EveryReboot").get("InvokeId").asString();
        JsonNode created = api.invocation(once);
        assertThat(created.get("RepeatMode").asString()).isEqualTo("NextRebootOnly");
        assertThat(created.get("Frequency").asString()).isEmpty();
        assertThat(created.get("InvocationStatus").asString()).isEqualTo("Scheduled");
        assertThat(api.invocation(every).get("RepeatMode").asString()).isEqualTo("EveryReboot");
        // no reboot, no run (meanwhile the dispatcher records the boot id each target is on)
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(api.instance(once, target).get("Repeats").asInt()).isZero();
            assertThat(api.instance(every, target).get("Repeats").asInt()).isZero();
        });
        try {
            restartAgent(UUID.randomUUID().toString());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode i = api.instance(once, target);
                assertThat(i.get("InvocationStatus").asString()).isEqualTo("Success");
                assertThat(i.get("Repeats").asInt()).isEqualTo(1);
                assertThat(api.invocation(once).get("InvokeStatus").asString()).isEqualTo("Finished");
                assertThat(api.instance(every, target).get("Repeats").asInt()).isEqualTo(1);
                assertThat(api.instance(every, target).get("InvocationStatus").asString()).isEqualTo("Scheduled");
                assertThat(lines(onceCount)).isEqualTo(1);
                assertThat(lines(everyCount)).isEqualTo(1);
            });

            restartAgent(Files.readString(bootId).strip()); // the same boot connects again: no reboot
            restartAgent(UUID.randomUUID().toString());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(api.instance(every, target).get("Repeats").asInt()).isEqualTo(2);
                assertThat(lines(everyCount)).isEqualTo(2);
            });
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(lines(everyCount)).isEqualTo(2);
                assertThat(lines(onceCount)).as("NextRebootOnly ran once").isEqualTo(1);
                assertThat(api.instance(once, target).get("Repeats").asInt()).isEqualTo(1);
            });
            List<JsonNode> runs = rows(api.ok("DescribeInvocationResults", "InvokeId", every, "IncludeHistory",
                    "true", "ContentEncoding", "PlainText").get("Invocation"));
            assertThat(runs).extracting(r -> r.get("Repeats").asInt()).containsExactlyInAnyOrder(1, 2);

            api.ok("StopInvocation", "InvokeId", every);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.invocation(every).get("InvocationStatus").asString()).isEqualTo("Stopped"));
        } finally {
            if (!stack.isRunning("agent-consumer")) {
                stack.restart("agent-consumer");
            }
        }
    }

    /** The agent SIGKILLed and started again on {@code nextBootId}: a reboot when it differs from the last. */
    private static void restartAgent(String nextBootId) throws Exception {
        stack.kill("agent-consumer");
        Files.writeString(bootId, nextBootId + "\n");
        stack.restart("agent-consumer");
        stack.awaitHealthy();
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
