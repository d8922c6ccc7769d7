package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.AgentRegistry;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;

/**
 * ModifyInvocationAttribute's checks in their order, each before anything is published, and the event it publishes;
 * without HTTP or broker.
 */
class ModifyInvocationAttributeActionTest {

    private static final String ACCOUNT = "1111111111";
    private static final RegionId REGION = RegionId.of("cn-hangzhou");
    private static final String PERIOD = "t-modperiod1";
    private static final String WITH_PARAMETERS = "t-modparams1";
    private static final String ONCE = "t-modonce1";
    private static final String STOPPED = "t-modstopped1";
    private static final String REBOOT = "t-modreboot1";
    private static final InstanceId A = InstanceId.of("i-a");

    private final EventPublisher publisher = mock(EventPublisher.class);
    private final InvocationView view = spy(new InvocationView());
    private ModifyInvocationAttributeAction action;

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
            return new Caller("other".equals(r.accessKeyId()) ? "2222222222" : ACCOUNT, r.accessKeyId(),
                    r.sourceIp(), r.requestId());
        };
        AgentRegistry agents = mock(AgentRegistry.class);
        when(agents.get(any())).thenAnswer(i -> {
            InstanceId id = i.getArgument(0);
            return id.value().startsWith("i-gone") ? Optional.empty()
                    : Optional.of(new AgentHeartbeat(id, REGION, ACCOUNT, "test", "localhost", Instant.now(), null));
        });
        when(agents.ready()).thenReturn(true);
        when(view.ready()).thenReturn(true);
        action = new ModifyInvocationAttributeAction(new Regions(props), authorizer, publisher, view,
                new Targets(agents, new RegistryView() {
                    @Override
                    public boolean ready() {
                        return true;
                    }
                }), props);
        create(PERIOD, "echo one", null, new Schedule("rate(1h)", "UTC"));
        create(WITH_PARAMETERS, "echo {{greeting}}", Map.of("greeting", "hi"), new Schedule("rate(1h)", "UTC"));
        create(ONCE, "echo once", null, null);
        InvocationState stopped = create(STOPPED, "echo one", null, new Schedule("rate(1h)", "UTC"));
        stopped = InvocationFold.apply(stopped, new StopRequested("e-s", stopped.invokeId(), Instant.now(),
                List.of(), null));
        stopped = InvocationFold.apply(stopped, new InstanceStatusReported("e-c", stopped.invokeId(),
                Instant.now(), A, InstanceStatus.CANCELLED, null, null, null, null, 0, null, null));
        view.apply(stopped);
        create(REBOOT, "echo boot", null, Schedule.onReboot(RepeatMode.EVERY_REBOOT));
    }

    private InvocationState create(String invokeId, String content, Map<String, String> parameters,
            Schedule schedule) {
        InvocationState s = InvocationFold.apply(null, new InvocationCreated("e-" + invokeId, InvokeId.of(invokeId),
                Instant.now(), REGION, new CommandSpec(CommandId.of("c-unit"), null, null, "RunShellScript", content,
                        60, null, null, null), List.of(A), new Caller(ACCOUNT, null, null, null), null, null,
                parameters, schedule));
        view.created(s);
        return s;
    }

    static Stream<Arguments> checksInOrder() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 1; i <= 101; i++) {
            many.put("InstanceId." + i, "i-n" + i);
        }
        String hi = b64("echo hi");
        return Stream.of(
                Arguments.of("missing InvokeId", Map.of("InvokeId", ""), null, ApiError.MISSING_PARAMETER),
                Arguments.of("malformed InvokeId", Map.of("InvokeId", "inv-1", "RegionId", "mars-1"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("content not Base64", Map.of("CommandContent", "!!not base64!!", "RegionId", "mars-1"),
                        null, ApiError.INVALID_COMMAND_CONTENT),
                Arguments.of("Parameters not a JSON object", Map.of("Parameters", "[1]", "RegionId", "mars-1"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("101 instances", with(many, "RegionId", "mars-1"), null,
                        ApiError.INSTANCE_IDS_EXCEED_LIMIT),
                Arguments.of("nothing to modify", Map.of("RegionId", "mars-1"), null, ApiError.MISSING_PARAMETER),
                Arguments.of("unknown region", Map.of("CommandContent", hi, "RegionId", "mars-1"), "forbidden",
                        ApiError.INVALID_REGION),
                Arguments.of("no Cloud Assistant", Map.of("CommandContent", hi, "RegionId", "cn-nocloud"),
                        "forbidden", ApiError.REGION_API_NOT_SUPPORTED),
                Arguments.of("forbidden", Map.of("CommandContent", hi, "InvokeId", "t-nosuch1"), "forbidden",
                        ApiError.OPERATION_FORBIDDEN),
                Arguments.of("unknown invocation", Map.of("CommandContent", hi, "InvokeId", "t-nosuch1"), null,
                        ApiError.INVALID_INVOKE_ID),
                Arguments.of("another account's", Map.of("CommandContent", hi, "Frequency", "nonsense"), "other",
                        ApiError.INVALID_INVOKE_ID),
                Arguments.of("runs once", Map.of("CommandContent", hi, "InvokeId", ONCE, "Frequency", "nonsense"),
                        null, ApiError.INVALID_OPERATION),
                Arguments.of("stopped", Map.of("CommandContent", hi, "InvokeId", STOPPED, "Frequency", "nonsense"),
                        null, ApiError.INVALID_OPERATION),
                Arguments.of("bad Frequency", Map.of("Frequency", "rate(0m)", "InstanceId.1", "i-gone1"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("Frequency on a reboot mode", Map.of("InvokeId", REBOOT, "Frequency", "rate(1h)"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("EnableParameter changed", Map.of("InvokeId", WITH_PARAMETERS, "EnableParameter",
                        "false", "CommandContent", b64("echo {{greeting}}"), "InstanceId.1", "i-gone1"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("parameters without EnableParameter", Map.of("Parameters", "{\"greeting\":\"x\"}"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("new content names a parameter without a value", Map.of("InvokeId", WITH_PARAMETERS,
                        "CommandContent", b64("echo {{greeting}} {{name}}"), "InstanceId.1", "i-gone1"), null,
                        ApiError.INVALID_PARAMETER),
                Arguments.of("an unexpected parameter", Map.of("InvokeId", WITH_PARAMETERS,
                        "Parameters", "{\"greeting\":\"x\",\"extra\":\"y\"}"), null, ApiError.INVALID_PARAMETER),
                Arguments.of("added instance not registered", Map.of("InstanceId.1", "i-gone1"), null,
                        ApiError.INVALID_INSTANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checksInOrder")
    void eachCheckComesBeforeTheNextAndNothingIsPublished(String name, Map<String, String> overrides, String key,
            ApiError expected) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> action.handle(request(overrides, key)));
        assertThat(e).as(name).isNotNull();
        assertThat(e.error()).as(name + ": " + e.getMessage()).isEqualTo(expected);
        verify(publisher, never()).publish(any(), anyList());
    }

    @Test
    void aRefusedModificationSaysWhy() {
        ApiException stopped = catchThrowableOfType(ApiException.class,
                () -> action.handle(request(Map.of("InvokeId", STOPPED, "CommandContent", b64("echo x")), null)));
        assertThat(stopped.getMessage()).contains("Stopped").contains("Scheduled");
        ApiException once = catchThrowableOfType(ApiException.class,
                () -> action.handle(request(Map.of("InvokeId", ONCE, "CommandContent", b64("echo x")), null)));
        assertThat(once.getMessage()).contains("runs once");
    }

    @Test
    void aModificationPublishesTheDecodedContentTheCheckedFrequencyAndTheAddedInstances() {
        assertThat(action.handle(request(Map.of("CommandContent", b64("echo two"), "Frequency", "rate(2h)",
                "InstanceId.1", "i-b"), null))).isEmpty();
        InvocationModified m = published();
        assertThat(m.invokeId().value()).isEqualTo(PERIOD);
        assertThat(m.commandContent()).isEqualTo("echo two");
        assertThat(m.frequency()).isEqualTo("rate(2h)");
        assertThat(m.zone()).isEqualTo("UTC");
        assertThat(m.addedInstanceIds()).containsExactly(InstanceId.of("i-b"));
        assertThat(m.parameters()).as("unchanged").isNull();
        assertThat(m.revision()).isEqualTo(1);
        assertThat(m.caller().accountId()).isEqualTo(ACCOUNT);
    }

    @Test
    void plainTextContentAndNewParametersAreCheckedAgainstTheContentTheRunsResolve() {
        action.handle(request(Map.of("InvokeId", WITH_PARAMETERS, "ContentEncoding", "PlainText", "EnableParameter",
                "true",
                "CommandContent", "echo {{greeting}} {{name}}", "Parameters",
                "{\"greeting\":\"bye\",\"name\":\"bob\"}"), null));
        InvocationModified m = published();
        assertThat(m.commandContent()).isEqualTo("echo {{greeting}} {{name}}");
        assertThat(m.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("greeting", "bye", "name", "bob"));
        assertThat(m.frequency()).isNull();
    }

    @Test
    void aRebootModeTakesNewContent() {
        action.handle(request(Map.of("InvokeId", REBOOT, "CommandContent", b64("echo rebooted")), null));
        assertThat(published().commandContent()).isEqualTo("echo rebooted");
    }

    private InvocationModified published() {
        ArgumentCaptor<InvocationEvent> events = ArgumentCaptor.forClass(InvocationEvent.class);
        verify(publisher).publish(events.capture(), anyList());
        return (InvocationModified) events.getValue();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static RpcRequest request(Map<String, String> overrides, String accessKeyId) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("RegionId", "cn-hangzhou", "InvokeId", PERIOD));
        params.putAll(overrides);
        params.values().removeIf(v -> v == null || v.isEmpty());
        return new RpcRequest("ModifyInvocationAttribute", params, "R", "127.0.0.1", null, accessKeyId);
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
