package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.DescribeCloudAssistantStatusRequest;
import com.aliyun.ecs20140526.models.DescribeCloudAssistantStatusResponseBody;
import com.aliyun.ecs20140526.models.DescribeInvocationResultsRequest;
import com.aliyun.ecs20140526.models.DescribeInvocationResultsResponseBody;
import com.aliyun.ecs20140526.models.DescribeInvocationsRequest;
import com.aliyun.ecs20140526.models.DescribeInvocationsResponseBody;
import com.aliyun.ecs20140526.models.DescribeRegionsRequest;
import com.aliyun.ecs20140526.models.DescribeRegionsResponseBody;
import com.aliyun.ecs20140526.models.RunCommandRequest;
import com.aliyun.ecs20140526.models.RunCommandResponse;
import com.aliyun.ecs20140526.models.StopInvocationRequest;
import com.aliyun.ecs20140526.models.StopInvocationResponse;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import io.stopplane.api.support.Agents;
import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.DispatchSwitch;
import io.stopplane.api.support.TestAuthorizer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The official Java SDK {@code com.aliyun:ecs20140526} (signature V3, parameters in a POST's query) against us. */
class TeaSdkIT extends ApiITSupport {

    private Client client() throws Exception {
        return client("x");
    }

    private Client client(String accessKeyId) throws Exception {
        return new Client(new Config().setAccessKeyId(accessKeyId).setAccessKeySecret("y")
                .setEndpoint("127.0.0.1:" + port).setProtocol("HTTP").setRegionId(REGION));
    }

    @Test
    void runDescribeStopAndReadTheResults() throws Exception {
        register("i-tea0001", "i-tea0002");
        Client ecs = client();
        // 24 KB once Base64-encoded: the SDK sends it in the query string of a POST
        String script = "sleep 600\n#" + "x".repeat(18 * 1024 - 11);
        String content = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        assertThat(content).hasSize(24 * 1024);
        RunCommandRequest runRequest = new RunCommandRequest().setRegionId(REGION).setType("RunShellScript")
                .setCommandContent(content).setContentEncoding("Base64")
                .setInstanceId(List.of("i-tea0001", "i-tea0002")).setName("tea-sleep").setDescription("Tea SDK ✓")
                .setTimeout(120L).setClientToken(UUID.randomUUID().toString());
        RunCommandResponse run = ecs.runCommand(runRequest);
        assertThat(run.getStatusCode()).isEqualTo(200);
        String invokeId = run.getBody().getInvokeId();
        assertThat(invokeId).startsWith("t-");
        assertThat(run.getBody().getCommandId()).startsWith("c-");
        assertThat(run.getBody().getRequestId()).matches("[0-9A-F-]{36}");
        assertThat(run.getHeaders()).containsEntry("x-acs-request-id", run.getBody().getRequestId());

        // the same ClientToken and parameters: the same invocation
        assertThat(ecs.runCommand(runRequest).getBody().getInvokeId()).isEqualTo(invokeId);

        DescribeInvocationsResponseBody.DescribeInvocationsResponseBodyInvocationsInvocation invocation =
                ecs.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION).setInvokeId(invokeId))
                        .getBody().getInvocations().getInvocation().get(0);
        assertThat(invocation.getCommandContent()).isEqualTo(content);
        assertThat(invocation.getCommandName()).isEqualTo("tea-sleep");
        assertThat(invocation.getTimeout()).isEqualTo(120L);
        assertThat(invocation.getInvocationStatus()).isEqualTo("Pending");
        assertThat(invocation.getInvokeStatus()).isEqualTo("Running");
        assertThat(invocation.getRepeatMode()).isEqualTo("Once");
        assertThat(invocation.getTerminationMode()).isEqualTo("ProcessTree");
        assertThat(invocation.getCreationTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(invocation.getInvokeInstances().getInvokeInstance())
                .extracting(i -> i.getInstanceId()).containsExactly("i-tea0001", "i-tea0002");

        kafka.event(Agents.running(invokeId, "i-tea0001"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ecs.describeInvocations(
                new DescribeInvocationsRequest().setRegionId(REGION).setInvokeId(invokeId)).getBody()
                .getInvocations().getInvocation().get(0).getInvocationStatus()).isEqualTo("Running"));

        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StopInvocationResponse stop = ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION)
                .setInvokeId(invokeId));
        Instant after = Instant.now();
        assertThat(stop.getStatusCode()).isEqualTo(200);
        assertThat(stop.getBody().getRequestId()).isNotBlank();

        kafka.event(Agents.terminated(invokeId, "i-tea0001", "bye\n"));
        kafka.event(Agents.cancelled(invokeId, "i-tea0002"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            DescribeInvocationResultsResponseBody.DescribeInvocationResultsResponseBodyInvocation results =
                    ecs.describeInvocationResults(new DescribeInvocationResultsRequest().setRegionId(REGION)
                            .setInvokeId(invokeId)).getBody().getInvocation();
            assertThat(results.getTotalCount()).isEqualTo(2L);
            var rows = results.getInvocationResults().getInvocationResult();
            assertThat(rows).extracting(r -> r.getInstanceId() + ":" + r.getInvocationStatus() + ":"
                    + r.getInvokeRecordStatus()).containsExactly("i-tea0001:Terminated:Stopped",
                    "i-tea0002:Cancelled:Stopped");
            assertThat(rows.get(0).getExitCode()).isEqualTo(143L);
            assertThat(rows.get(0).getErrorCode()).isEqualTo("ExecutionInterrupted");
            assertThat(new String(Base64.getDecoder().decode(rows.get(0).getOutput()), StandardCharsets.UTF_8))
                    .isEqualTo("bye\n");
            assertThat(rows.get(0).getTerminationMode()).isEqualTo("ProcessTree");
            assertThat(rows).allSatisfy(r -> {
                Instant stopTime = Instant.parse(r.getStopTime());
                assertThat(stopTime).isBetween(before, after);
            });
        });
        DescribeInvocationsResponseBody.DescribeInvocationsResponseBodyInvocationsInvocation stopped =
                ecs.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION).setInvokeId(invokeId)
                        .setIncludeOutput(true).setContentEncoding("PlainText")).getBody().getInvocations()
                        .getInvocation().get(0);
        assertThat(stopped.getInvocationStatus()).isEqualTo("Stopped");
        assertThat(stopped.getInvokeStatus()).isEqualTo("Stopped");
        assertThat(stopped.getInvokeInstances().getInvokeInstance().get(0).getOutput()).isEqualTo("bye\n");

        // stopping it again changes nothing
        assertThat(ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION).setInvokeId(invokeId))
                .getStatusCode()).isEqualTo(200);
    }

    @Test
    void regionsAndAgentStatus() throws Exception {
        register("i-tea0003");
        Client ecs = client();
        DescribeRegionsResponseBody regions = ecs.describeRegions(new DescribeRegionsRequest()
                .setAcceptLanguage("en-US")).getBody();
        assertThat(regions.getRegions().getRegion()).anySatisfy(r -> {
            assertThat(r.getRegionId()).isEqualTo(REGION);
            assertThat(r.getLocalName()).isEqualTo("China (Hangzhou)");
            assertThat(r.getRegionEndpoint()).isEqualTo("127.0.0.1:" + port);
            assertThat(r.getStatus()).isEqualTo("available");
        });
        DescribeCloudAssistantStatusResponseBody status = ecs.describeCloudAssistantStatus(
                new DescribeCloudAssistantStatusRequest().setRegionId(REGION).setInstanceId(List.of("i-tea0003",
                        "i-tea9999"))).getBody();
        assertThat(status.getTotalCount()).isEqualTo(1L);
        var row = status.getInstanceCloudAssistantStatusSet().getInstanceCloudAssistantStatus().get(0);
        assertThat(row.getInstanceId()).isEqualTo("i-tea0003");
        assertThat(row.getCloudAssistantStatus()).isEqualTo("true");
        assertThat(row.getCloudAssistantVersion()).isEqualTo("2.5.3.0");
        assertThat(row.getOSType()).isEqualTo("Linux");
        assertThat(Instant.parse(row.getLastHeartbeatTime())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void everyErrorComesThroughTheSdksException() throws Exception {
        register("i-tea0004");
        Client ecs = client();
        String invokeId = run("i-tea0004");
        String token = UUID.randomUUID().toString();
        ecs.runCommand(new RunCommandRequest().setRegionId(REGION).setType("RunShellScript").setCommandContent("true")
                .setInstanceId(List.of("i-tea0004")).setClientToken(token));

        assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION)), 400,
                "MissingParameter");
        assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION).setInvokeId("t-*")),
                400, "InvalidParameter");
        assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId("mars-north-1")
                .setInvokeId(invokeId)), 404, "InvalidRegionId.NotFound");
        assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId("cn-nocloud")
                .setInvokeId(invokeId)), 400, "RegionId.ApiNotSupported");
        assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION).setInvokeId(invokeId)
                .setInstanceId(IntStream.rangeClosed(1, 51).mapToObj(i -> "i-tea" + i).toList())), 403,
                "InstanceIds.ExceedLimit");
        assertCode(() -> client(TestAuthorizer.FORBIDDEN_KEY).stopInvocation(new StopInvocationRequest()
                .setRegionId(REGION).setInvokeId(invokeId)), 403, "Operation.Forbidden");
        assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION).setInvokeId("t-nope")),
                404, "InvalidInvokeId.NotFound");
        assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION).setInvokeId(invokeId)
                .setInstanceId(List.of("i-tea0099"))), 404, "InvalidInstanceId.NotFound");
        assertCode(() -> ecs.runCommand(new RunCommandRequest().setRegionId(REGION).setType("RunShellScript")
                .setCommandContent("true").setInstanceId(List.of("i-tea0099"))), 404, "InvalidInstance.NotFound");
        assertCode(() -> ecs.runCommand(new RunCommandRequest().setRegionId(REGION).setType("RunShellScript")
                .setCommandContent("false").setInstanceId(List.of("i-tea0004")).setClientToken(token)), 403,
                "IdempotentParameterMismatch");
        assertCode(() -> ecs.runCommand(new RunCommandRequest().setRegionId(REGION).setType("RunShellScript")
                .setCommandContent("true").setInstanceId(List.of("i-tea0004")).setRepeatMode("Period")
                .setFrequency("rate(5x)")), 400, "InvalidParameter");
        DispatchSwitch.broken.set(true);
        try {
            assertCode(() -> ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION)
                    .setInvokeId(invokeId)), 500, "InternalError.Dispatch");
        } finally {
            DispatchSwitch.broken.set(false);
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertCode(Call call, int status, String code) {
        TeaException e = catchThrowableOfType(TeaException.class, call::run);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.getCode()).isEqualTo(code);
        assertThat(e.getStatusCode()).isEqualTo(status);
        assertThat(e.getData()).containsKeys("RequestId", "HostId", "Recommend");
    }
}
