package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** StopInvocation's checks in the contract's order, down to the dispatch, without HTTP or broker. */
class StopInvocationActionTest {

    private static final String INVOKE = "t-unit0001";
    private final EventPublisher publisher = mock(EventPublisher.class);
    private final InvocationView view = spy(new InvocationView());
    private StopInvocationAction action;
    private InvocationState state;

    @BeforeEach
    void setUp() {
        ApiProperties props = new ApiProperties("none", Map.of(
                "cn-hangzhou", new ApiProperties.Region("Hangzhou", null, null, true),
                "cn-nocloud", new ApiProperties.Region("None", null, null, false)),
                Duration.ofSeconds(5), Duration.ofSeconds(20));
        ActionAuthorizer authorizer = r -> {
            if ("forbidden".equals(r.accessKeyId())) {
                throw new ApiException(ApiError.OPERATION_FORBIDDEN);
            }
            return new Caller(null, r.accessKeyId(), r.sourceIp(), r.requestId());
        };
        action = new StopInvocationAction(new Regions(props), authorizer, publisher, view);
        state = InvocationFold.apply(null, new InvocationCreated("e-1", InvokeId.of(INVOKE), Instant.now(),
                RegionId.of("cn-hangzhou"), new CommandSpec(CommandId.of("c-unit"), null, null, "RunShellScript",
                "sleep 9", 60, null, null, null), List.of(InstanceId.of("i-a"), InstanceId.of("i-b")),
                new Caller(null, null, null, null)));
        view.created(state);
        when(view.ready()).thenReturn(true);
    }

    static Stream<Arguments> checksInOrder() {
        Map<String, String> all = new LinkedHashMap<>();
        for (int i = 1; i <= 51; i++) {
            all.put("InstanceId." + i, "i-n" + i);
        }
        return Stream.of(
                Arguments.of("missing RegionId", with(all, "RegionId", null), null, ApiError.MISSING_PARAMETER),
                Arguments.of("malformed InvokeId", with(all, "RegionId", "mars-1", "InvokeId", "t-ü"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("malformed InstanceId", with(all, "RegionId", "mars-1", "InstanceId.3", "i-*"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("unknown region", with(all, "RegionId", "mars-1"), null, ApiError.INVALID_REGION),
                Arguments.of("no Cloud Assistant", with(all, "RegionId", "cn-nocloud"), null,
                        ApiError.REGION_API_NOT_SUPPORTED),
                Arguments.of("51 instances", all, "forbidden", ApiError.INSTANCE_IDS_EXCEED_LIMIT),
                Arguments.of("forbidden", Map.of("InstanceId.1", "i-zz"), "forbidden", ApiError.OPERATION_FORBIDDEN),
                Arguments.of("unknown invocation", Map.of("InvokeId", "t-none", "InstanceId.1", "i-zz"), null,
                        ApiError.INVALID_INVOKE_ID),
                Arguments.of("not a target", Map.of("InstanceId.1", "i-a", "InstanceId.2", "i-zz"), null,
                        ApiError.INVALID_INSTANCE_ID),
                Arguments.of("dispatch", Map.of("InstanceId.1", "i-a"), "broker-down", ApiError.DISPATCH_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checksInOrder")
    void eachCheckComesBeforeTheNext(String name, Map<String, String> overrides, String key, ApiError expected) {
        if ("broker-down".equals(key)) {
            doThrow(new ApiException(ApiError.DISPATCH_FAILED)).when(publisher).publish(any(), anyList());
        }
        ApiException e = catchThrowableOfType(ApiException.class, () -> action.handle(request(overrides, key)));
        assertThat(e).isNotNull();
        assertThat(e.error()).isEqualTo(expected);
        assertThat(view.get(InvokeId.of(INVOKE))).contains(state); // nothing half-done, not even locally
    }

    @Test
    void aStopIsFoldedLocallySoTheCallerReadsItsOwnStop() {
        action.handle(request(Map.of("InstanceId.1", "i-a"), null));
        InvocationState after = view.get(InvokeId.of(INVOKE)).orElseThrow();
        assertThat(after.instance(InstanceId.of("i-a")).orElseThrow().status()).isEqualTo(InstanceStatus.STOPPING);
        assertThat(after.instance(InstanceId.of("i-a")).orElseThrow().stopTime()).isNotNull();
        assertThat(after.instance(InstanceId.of("i-b")).orElseThrow().status()).isEqualTo(InstanceStatus.PENDING);
    }

    @Test
    void stoppingFinishedTargetsChangesNothingAndPublishesNothing() {
        InvocationState finished = new InvocationState(state.invokeId(), state.regionId(), state.command(),
                state.creationTime(), state.updateTime(), state.instances().stream()
                        .map(i -> new InstanceState(i.instanceId(), InstanceStatus.SUCCESS, 0, null, null, null, 0,
                                i.creationTime(), null, null, null, i.updateTime()))
                        .toList(), 3);
        view.apply(finished);
        assertThat(action.handle(request(Map.of(), null))).isEmpty();
        verify(publisher, never()).publish(any(), anyList());
        assertThat(view.get(InvokeId.of(INVOKE))).contains(finished);
    }

    private static RpcRequest request(Map<String, String> overrides, String accessKeyId) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("RegionId", "cn-hangzhou", "InvokeId", INVOKE));
        params.putAll(overrides);
        params.values().removeIf(v -> v == null);
        return new RpcRequest("StopInvocation", params, "R", "127.0.0.1", null, accessKeyId);
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
