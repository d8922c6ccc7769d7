package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.ecs.model.v20140526.DescribeCloudAssistantStatusRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeCloudAssistantStatusResponse;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationResultsRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationResultsResponse;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationsRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationsResponse;
import com.aliyuncs.ecs.model.v20140526.DescribeRegionsRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeRegionsResponse;
import com.aliyuncs.ecs.model.v20140526.RunCommandRequest;
import com.aliyuncs.ecs.model.v20140526.StopInvocationRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import io.stopplane.api.support.Agents;
import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.DispatchSwitch;
import io.stopplane.api.support.TestAuthorizer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The older official SDK, {@code aliyun-java-sdk-core} + {@code aliyun-java-sdk-ecs} (signature V1, RPC parameters in
 * the query), against us, asking for JSON and for XML.
 */
class PopSdkIT extends ApiITSupport {

    private IAcsClient client(String accessKeyId) {
        return new DefaultAcsClient(DefaultProfile.getProfile(REGION, accessKeyId, "y"));
    }

    private <T extends AcsResponse, R extends AcsRequest<T>> R at(R request, FormatType format) {
        request.setSysEndpoint("127.0.0.1:" + port);
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysAcceptFormat(format);
        return request;
    }

    @ParameterizedTest
    @EnumSource(value = FormatType.class, names = {"JSON", "XML"})
    void runDescribeStopAndReadTheResults(FormatType format) throws Exception {
        String a = "i-pop" + format + "1";
        String b = "i-pop" + format + "2";
        register(a, b);
        IAcsClient ecs = client("x");
        RunCommandRequest runRequest = at(new RunCommandRequest(), format);
        runRequest.setType("RunShellScript");
        runRequest.setCommandContent("sleep 600 # ünïcode *");
        runRequest.setInstanceIds(List.of(a, b));
        runRequest.setTimeout(90L);
        runRequest.setTerminationMode("Process");
        runRequest.setClientToken(UUID.randomUUID().toString());
        String invokeId = ecs.getAcsResponse(runRequest).getInvokeId();
        assertThat(invokeId).startsWith("t-");
        assertThat(ecs.getAcsResponse(runRequest).getInvokeId()).as("same ClientToken").isEqualTo(invokeId);

        DescribeInvocationsRequest describe = at(new DescribeInvocationsRequest(), format);
        describe.setInvokeId(invokeId);
        describe.setContentEncoding("PlainText");
        DescribeInvocationsResponse described = ecs.getAcsResponse(describe);
        assertThat(described.getTotalCount()).isEqualTo(1L);
        DescribeInvocationsResponse.Invocation invocation = described.getInvocations().get(0);
        assertThat(invocation.getCommandContent()).isEqualTo("sleep 600 # ünïcode *");
        assertThat(invocation.getTimeout()).isEqualTo(90L);
        assertThat(invocation.getTerminationMode()).isEqualTo("Process");
        assertThat(invocation.getInvocationStatus()).isEqualTo("Pending");
        assertThat(invocation.getInvokeInstances()).extracting(i -> i.getInstanceId()).containsExactly(a, b);

        kafka.event(Agents.running(invokeId, a));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ecs.getAcsResponse(describe)
                .getInvocations().get(0).getInvocationStatus()).isEqualTo("Running"));

        StopInvocationRequest stop = at(new StopInvocationRequest(), format);
        stop.setInvokeId(invokeId);
        stop.setInstanceIds(List.of(a));
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(ecs.getAcsResponse(stop).getRequestId()).isNotBlank();
        Instant after = Instant.now();
        kafka.event(Agents.terminated(invokeId, a, "killed"));

        DescribeInvocationResultsRequest results = at(new DescribeInvocationResultsRequest(), format);
        results.setInvokeId(invokeId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            DescribeInvocationResultsResponse.Invocation page = ecs.getAcsResponse(results).getInvocation();
            assertThat(page.getTotalCount()).isEqualTo(2L);
            List<DescribeInvocationResultsResponse.Invocation.InvocationResult> rows = page.getInvocationResults();
            assertThat(rows).extracting(r -> r.getInstanceId() + ":" + r.getInvocationStatus() + ":"
                    + r.getInvokeRecordStatus()).containsExactly(a + ":Terminated:Stopped", b + ":Pending:Running");
            assertThat(rows.get(0).getExitCode()).isEqualTo(143L);
            assertThat(Instant.parse(rows.get(0).getStopTime())).isBetween(before, after);
            assertThat(rows.get(1).getStopTime()).isNullOrEmpty();
        });
        DescribeInvocationsResponse.Invocation rolledUp = ecs.getAcsResponse(describe).getInvocations().get(0);
        assertThat(rolledUp.getInvocationStatus()).isEqualTo("Pending");
        assertThat(rolledUp.getInvokeStatus()).isEqualTo("Running");
    }

    @Test
    void regionsAndAgentStatus() throws Exception {
        register("i-pop0003");
        IAcsClient ecs = client("x");
        DescribeRegionsResponse regions = ecs.getAcsResponse(at(new DescribeRegionsRequest(), FormatType.XML));
        assertThat(regions.getRegions()).anySatisfy(r -> {
            assertThat(r.getRegionId()).isEqualTo(REGION);
            assertThat(r.getLocalName()).isEqualTo("华东1（杭州）");
        });
        DescribeCloudAssistantStatusRequest status = at(new DescribeCloudAssistantStatusRequest(), FormatType.JSON);
        status.setInstanceIds(List.of("i-pop0003"));
        DescribeCloudAssistantStatusResponse answer = ecs.getAcsResponse(status);
        assertThat(answer.getInstanceCloudAssistantStatusSet()).singleElement().satisfies(s -> {
            assertThat(s.getInstanceId()).isEqualTo("i-pop0003");
            assertThat(s.getCloudAssistantStatus()).isEqualTo("true");
        });
    }

    @ParameterizedTest
    @EnumSource(value = FormatType.class, names = {"JSON", "XML"})
    void everyErrorComesThroughTheSdksException(FormatType format) throws Exception {
        String instance = "i-pop" + format + "3";
        register(instance);
        IAcsClient ecs = client("x");
        String invokeId = run(instance);
        String token = UUID.randomUUID().toString();
        ecs.getAcsResponse(runCommand(format, instance, "true", token));

        assertCode(ecs, stop(format, REGION, null, List.of()), "MissingParameter");
        assertCode(ecs, stop(format, REGION, "t-*", List.of()), "InvalidParameter");
        assertCode(ecs, stop(format, "mars-north-1", invokeId, List.of()), "InvalidRegionId.NotFound");
        assertCode(ecs, stop(format, "cn-nocloud", invokeId, List.of()), "RegionId.ApiNotSupported");
        assertCode(ecs, stop(format, REGION, invokeId, IntStream.rangeClosed(1, 51).mapToObj(i -> "i-pop" + i)
                .toList()), "InstanceIds.ExceedLimit");
        assertCode(client(TestAuthorizer.FORBIDDEN_KEY), stop(format, REGION, invokeId, List.of()),
                "Operation.Forbidden");
        assertCode(ecs, stop(format, REGION, "t-nope", List.of()), "InvalidInvokeId.NotFound");
        assertCode(ecs, stop(format, REGION, invokeId, List.of("i-pop0099")), "InvalidInstanceId.NotFound");
        assertCode(ecs, runCommand(format, "i-pop0099", "true", null), "InvalidInstance.NotFound");
        assertCode(ecs, runCommand(format, instance, "false", token), "IdempotentParameterMismatch");
        DispatchSwitch.broken.set(true);
        try {
            ServerException e = catchThrowableOfType(ServerException.class,
                    () -> ecs.getAcsResponse(stop(format, REGION, invokeId, List.of())));
            assertThat(e).isNotNull();
            assertThat(e.getErrCode()).isEqualTo("InternalError.Dispatch");
        } finally {
            DispatchSwitch.broken.set(false);
        }
    }

    private StopInvocationRequest stop(FormatType format, String region, String invokeId, List<String> instances) {
        StopInvocationRequest r = at(new StopInvocationRequest(), format);
        r.setSysRegionId(region);
        r.setInvokeId(invokeId);
        if (!instances.isEmpty()) {
            r.setInstanceIds(instances);
        }
        return r;
    }

    private RunCommandRequest runCommand(FormatType format, String instance, String content, String token) {
        RunCommandRequest r = at(new RunCommandRequest(), format);
        r.setType("RunShellScript");
        r.setCommandContent(content);
        r.setInstanceIds(List.of(instance));
        r.setClientToken(token);
        return r;
    }

    private static void assertCode(IAcsClient ecs, AcsRequest<?> request, String code) {
        ClientException e = catchThrowableOfType(ClientException.class, () -> ecs.getAcsResponse(request));
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.getErrCode()).isEqualTo(code);
        assertThat(e.getRequestId()).matches("[0-9A-F-]{36}");
    }
}
