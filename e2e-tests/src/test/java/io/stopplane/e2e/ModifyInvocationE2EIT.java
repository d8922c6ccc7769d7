package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.ModifyInvocationAttributeRequest;
import com.aliyun.ecs20140526.models.RunCommandRequest;
import com.aliyun.ecs20140526.models.StopInvocationRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * ModifyInvocationAttribute end to end, through the official V3 SDK ({@code com.aliyun:ecs20140526}), on real agents
 * and a real broker: a rate schedule modified to new content runs the new content from then on (its history shows
 * both), an instance added joins and runs it, a bad Frequency is refused, and a stopped schedule cannot be modified.
 * On the {@link SharedStack.ShortTimers} stack, beside {@link ScheduleE2EIT} (a schedule's minimum intervals lowered).
 */
@ExtendWith(SharedStack.ShortTimers.class)
class ModifyInvocationE2EIT {

    private static StopPlaneProcesses stack;
    private static RpcClient api;
    private static Client ecs;
    private static String region;

    @BeforeAll
    static void onTheShortTimersStack(SharedStack shared) throws Exception {
        stack = shared.processes();
        api = new RpcClient(shared.apiUrl());
        api.awaitOnline(stack.agentInstances());
        URI url = URI.create(shared.apiUrl());
        region = "cn-hangzhou"; // the stack's, as RpcClient's
        ecs = new Client(new Config().setAccessKeyId("e2e").setAccessKeySecret("e2e")
                .setEndpoint(url.getHost() + ":" + url.getPort()).setProtocol("HTTP").setRegionId(region));
    }

    @Test
    void aModifiedRateRunsTheNewContentFromThenOnAndAnAddedInstanceJoinsIt() throws Exception {
        String first = stack.agentInstances().get(0);
        String added = stack.agentInstances().get(1);
        String invokeId = ecs.runCommand(new RunCommandRequest().setRegionId(region).setType("RunShellScript")
                .setCommandContent(base64("echo one")).setContentEncoding("Base64").setInstanceId(List.of(first))
                .setTimeout(1L).setFrequency("rate(2s)")).getBody().getInvokeId();
        String commandId = api.invocation(invokeId).get("CommandId").asString();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(outputs(invokeId, first)).contains("one\n"));

        TeaException badFrequency = catchThrowableOfType(TeaException.class, () -> ecs.modifyInvocationAttribute(
                new ModifyInvocationAttributeRequest().setRegionId(region).setInvokeId(invokeId)
                        .setFrequency("rate(0s)")));
        assertThat(badFrequency.getCode()).isEqualTo("InvalidParameter");
        assertThat(badFrequency.getMessage()).contains("Frequency");

        assertThat(ecs.modifyInvocationAttribute(new ModifyInvocationAttributeRequest().setRegionId(region)
                .setInvokeId(invokeId).setCommandContent(base64("echo two")).setInstanceId(List.of(added)))
                .getStatusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> firsts = outputs(invokeId, first);
            assertThat(firsts).as("the history shows both contents").contains("one\n", "two\n");
            // by run number: the runs before the modification ran the old content, every one after it the new
            assertThat(firsts.subList(firsts.indexOf("two\n"), firsts.size())).containsOnly("two\n");
            assertThat(firsts.lastIndexOf("one\n")).isLessThan(firsts.indexOf("two\n"));
            assertThat(outputs(invokeId, added)).as("the added instance joins and runs the new content")
                    .isNotEmpty().containsOnly("two\n");
        });
        JsonNode modified = api.invocation(invokeId);
        assertThat(modified.get("CommandId").asString()).as("CommandId stays").isEqualTo(commandId);
        assertThat(modified.get("CommandContent").asString()).isEqualTo("echo two");
        assertThat(modified.get("Frequency").asString()).isEqualTo("rate(2s)");
        assertThat(api.instance(invokeId, added).get("InvocationStatus").asString()).isIn("Scheduled", "Running");

        ecs.stopInvocation(new StopInvocationRequest().setRegionId(region).setInvokeId(invokeId));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));

        TeaException stopped = catchThrowableOfType(TeaException.class, () -> ecs.modifyInvocationAttribute(
                new ModifyInvocationAttributeRequest().setRegionId(region).setInvokeId(invokeId)
                        .setCommandContent(base64("echo three"))));
        assertThat(stopped.getCode()).isEqualTo("InvalidOperation");
        assertThat(stopped.getMessage()).contains("Stopped");
        assertThat(stopped.getStatusCode()).isEqualTo(403);
    }

    @Test
    void aModifiedFrequencyTakesOverAndAnInvocationThatRunsOnceIsRefused() throws Exception {
        String target = stack.agentInstances().get(2);
        String invokeId = ecs.runCommand(new RunCommandRequest().setRegionId(region).setType("RunShellScript")
                .setCommandContent(base64("echo tick")).setContentEncoding("Base64").setInstanceId(List.of(target))
                .setTimeout(1L).setFrequency("rate(1h)")).getBody().getInvokeId();
        ecs.modifyInvocationAttribute(new ModifyInvocationAttributeRequest().setRegionId(region)
                .setInvokeId(invokeId).setFrequency("rate(2s)"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(api.invocation(invokeId).get("Frequency").asString()).isEqualTo("rate(2s)");
            assertThat(api.instance(invokeId, target).get("Repeats").asInt()).isGreaterThanOrEqualTo(2);
        });
        ecs.stopInvocation(new StopInvocationRequest().setRegionId(region).setInvokeId(invokeId));

        String once = ecs.runCommand(new RunCommandRequest().setRegionId(region).setType("RunShellScript")
                .setCommandContent(base64("echo once")).setContentEncoding("Base64").setInstanceId(List.of(target))
                .setTimeout(5L)).getBody().getInvokeId();
        TeaException refused = catchThrowableOfType(TeaException.class, () -> ecs.modifyInvocationAttribute(
                new ModifyInvocationAttributeRequest().setRegionId(region).setInvokeId(once)
                        .setCommandContent(base64("echo other"))));
        assertThat(refused.getCode()).isEqualTo("InvalidOperation");
        assertThat(refused.getMessage()).contains("runs once");
        TeaException unknown = catchThrowableOfType(TeaException.class, () -> ecs.modifyInvocationAttribute(
                new ModifyInvocationAttributeRequest().setRegionId(region).setInvokeId("t-nosuchmodify1")
                        .setCommandContent(base64("echo other"))));
        assertThat(unknown.getCode()).isEqualTo("InvalidInvokeId.NotFound");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));
    }

    /** The outputs of {@code instanceId}'s finished runs, by run number ({@code IncludeHistory}). */
    private static List<String> outputs(String invokeId, String instanceId) {
        JsonNode results = api.ok("DescribeInvocationResults", "InvokeId", invokeId, "InstanceId", instanceId,
                "IncludeHistory", "true", "ContentEncoding", "PlainText", "MaxResults", "50").get("Invocation");
        List<JsonNode> rows = new ArrayList<>();
        results.get("InvocationResults").get("InvocationResult").forEach(rows::add);
        return rows.stream().filter(r -> r.get("InstanceId").asString().equals(instanceId))
                .filter(r -> r.get("InvokeRecordStatus").asString().equals("Finished"))
                .sorted(Comparator.comparingInt(r -> r.get("Repeats").asInt()))
                .map(r -> r.get("Output").asString()).toList();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
