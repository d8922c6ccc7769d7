package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.view.AgentRegistry;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * RunCommand's ClientToken when a publish fails with an unknown outcome (found by {@code bin/stopplane chaos}: a commit
 * that timed out when its transaction coordinator died had gone through, and the retry with the same token created a
 * second invocation that ran the command again), on the same replica or another one.
 */
class RunCommandActionTest {

    private final EventPublisher publisher = mock(EventPublisher.class);
    private final InvocationView view = spy(new InvocationView());
    private RunCommandAction action;

    @BeforeEach
    void setUp() {
        action = replica(view);
    }

    /** A RunCommand handler as an API replica has it, over its own view and ClientTokens, publishing to the same place. */
    private RunCommandAction replica(InvocationView view) {
        ApiProperties props = new ApiProperties("none", Map.of(
                "cn-hangzhou", new ApiProperties.Region("Hangzhou", null, null, true)),
                Duration.ofSeconds(5), Duration.ofSeconds(20));
        ActionAuthorizer authorizer = r -> new Caller(null, r.accessKeyId(), r.sourceIp(), r.requestId());
        AgentRegistry agents = mock(AgentRegistry.class);
        when(agents.get(any())).thenAnswer(i -> Optional.of(new AgentHeartbeat(i.getArgument(0),
                RegionId.of("cn-hangzhou"), null, "test", "localhost", Instant.now())));
        when(view.ready()).thenReturn(true);
        return new RunCommandAction(new Regions(props), authorizer, new Invocations(new ClientTokens(view),
                new Targets(agents, new RegistryView()), publisher, view, mock(CommandLibrary.class), props), props);
    }

    private static RpcRequest run(String content, String token) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("RegionId", "cn-hangzhou");
        params.put("Type", "RunShellScript");
        params.put("CommandContent", content);
        params.put("InstanceId.1", "i-a");
        if (token != null) {
            params.put("ClientToken", token);
        }
        return new RpcRequest("RunCommand", params, "R", "127.0.0.1", null, null);
    }

    private List<InvocationCreated> published(int times) {
        ArgumentCaptor<InvocationEvent> events = ArgumentCaptor.forClass(InvocationEvent.class);
        verify(publisher, times(times)).publish(events.capture(), anyList());
        return events.getAllValues().stream().map(InvocationCreated.class::cast).toList();
    }

    @Test
    void aRetryAfterAFailedPublishSendsTheSameInvocationAgainNotASecondOne() {
        doThrow(new ApiException(ApiError.DISPATCH_FAILED)).doNothing().when(publisher).publish(any(), anyList());

        ApiException failed = catchThrowableOfType(ApiException.class, () -> action.handle(run("sleep 1", "tok-1")));
        assertThat(failed.error()).isEqualTo(ApiError.DISPATCH_FAILED);
        Map<String, Object> ok = action.handle(run("sleep 1", "tok-1"));

        List<InvocationCreated> created = published(2);
        assertThat(created.get(1).invokeId()).as("the same invoke id: a copy the fold and the agent drop")
                .isEqualTo(created.get(0).invokeId());
        assertThat(created.get(1).command().commandId()).isEqualTo(created.get(0).command().commandId());
        assertThat(ok.get("InvokeId")).isEqualTo(created.get(0).invokeId().value());
        assertThat(created.get(0).command().deliveryTimeoutSeconds()).as("the API's delivery timeout, in the command")
                .isEqualTo(60);
        // from now on the view answers: no third publish
        assertThat(action.handle(run("sleep 1", "tok-1")).get("InvokeId")).isEqualTo(ok.get("InvokeId"));
        published(2);
    }

    @Test
    void aRetryOnAnotherReplicaAfterAFailedPublishSendsTheSameInvocationAgainToo() {
        doThrow(new ApiException(ApiError.DISPATCH_FAILED)).doNothing().when(publisher).publish(any(), anyList());
        RunCommandAction other = replica(spy(new InvocationView()));

        catchThrowableOfType(ApiException.class, () -> action.handle(run("sleep 1", "tok-5")));
        Map<String, Object> ok = other.handle(run("sleep 1", "tok-5"));

        List<InvocationCreated> created = published(2);
        assertThat(created.get(1).invokeId()).isEqualTo(created.get(0).invokeId());
        assertThat(created.get(1).command().commandId()).isEqualTo(created.get(0).command().commandId());
        assertThat(ok.get("InvokeId")).isEqualTo(created.get(0).invokeId().value());
    }

    @Test
    void theIdsOfATokenAreTheAccountsOwnAndChangeWithTheParameters() {
        Caller alice = new Caller("1001", "AK1", "127.0.0.1", "R1");
        Caller bob = new Caller("1002", "AK2", "127.0.0.1", "R2");
        ClientTokens.Ids first = ClientTokens.ids(alice, "tok", "digest-1");

        assertThat(ClientTokens.ids(new Caller("1001", "AK3", "10.0.0.1", "R3"), "tok", "digest-1"))
                .as("same account, token and parameters: same ids").isEqualTo(first);
        assertThat(ClientTokens.ids(bob, "tok", "digest-1").invokeId()).isNotEqualTo(first.invokeId());
        assertThat(ClientTokens.ids(alice, "tok", "digest-2").invokeId()).isNotEqualTo(first.invokeId());
        assertThat(ClientTokens.ids(alice, "tok2", "digest-1").invokeId()).isNotEqualTo(first.invokeId());
        assertThat(first.invokeId().value()).matches("t-[0-9a-f]{32}");
        assertThat(first.commandId().value()).matches("c-[0-9a-f]{32}");
        assertThat(ClientTokens.ids(alice, null, "digest-1")).isNotEqualTo(ClientTokens.ids(alice, null, "digest-1"));
    }

    @Test
    void aRetryWithOtherParametersAfterAFailedPublishIsAMismatch() {
        doThrow(new ApiException(ApiError.DISPATCH_FAILED)).when(publisher).publish(any(), anyList());
        catchThrowableOfType(ApiException.class, () -> action.handle(run("sleep 1", "tok-2")));

        ApiException mismatch = catchThrowableOfType(ApiException.class,
                () -> action.handle(run("sleep 2", "tok-2")));
        assertThat(mismatch.error()).isEqualTo(ApiError.IDEMPOTENT_PARAMETER_MISMATCH);
    }

    @Test
    void withoutATokenEachRunIsANewInvocationAndAnotherTokenIsNotConfused() {
        doThrow(new ApiException(ApiError.DISPATCH_FAILED)).doNothing().when(publisher).publish(any(), anyList());
        catchThrowableOfType(ApiException.class, () -> action.handle(run("sleep 1", "tok-3")));
        Object other = action.handle(run("sleep 1", "tok-4")).get("InvokeId");
        Object untokened = action.handle(run("sleep 1", null)).get("InvokeId");

        List<InvocationCreated> created = published(3);
        assertThat(created.stream().map(c -> c.invokeId().value()).distinct()).hasSize(3);
        assertThat(List.of(other, untokened)).doesNotContain(created.get(0).invokeId().value());
        doNothing().when(publisher).publish(any(), anyList());
    }

    private static RpcRequest scheduled(String repeatMode, String frequency, String timeout) {
        Map<String, String> params = new LinkedHashMap<>(run("sleep 1", null).params());
        if (repeatMode != null) {
            params.put("RepeatMode", repeatMode);
        }
        if (frequency != null) {
            params.put("Frequency", frequency);
        }
        if (timeout != null) {
            params.put("Timeout", timeout);
        }
        params.put("Timed", "true");
        return new RpcRequest("RunCommand", params, "R", "127.0.0.1", null, null);
    }

    @Test
    void aFrequencyMakesAPeriodInvocationWhoseRunsTheApiDoesNotSend() {
        action.handle(scheduled("Once", "rate(5m)", null));
        ArgumentCaptor<InvocationEvent> events = ArgumentCaptor.forClass(InvocationEvent.class);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<InstanceCommand>> commands = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(events.capture(), commands.capture());
        InvocationCreated created = (InvocationCreated) events.getValue();
        assertThat(created.schedule()).isEqualTo(new Schedule("rate(5m)", "UTC"));
        assertThat(commands.getValue()).as("the dispatcher issues each run").isEmpty();
    }

    @Test
    void theRebootModesAreSchedulesWithoutAFrequencyAndAFrequencyMakesThemPeriod() {
        for (RepeatMode mode : List.of(RepeatMode.NEXT_REBOOT_ONLY, RepeatMode.EVERY_REBOOT)) {
            action.handle(scheduled(mode.wireName(), null, null));
        }
        action.handle(scheduled("EveryReboot", "rate(5m)", null));
        ArgumentCaptor<InvocationEvent> events = ArgumentCaptor.forClass(InvocationEvent.class);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<InstanceCommand>> commands = ArgumentCaptor.forClass(List.class);
        verify(publisher, times(3)).publish(events.capture(), commands.capture());
        assertThat(events.getAllValues()).extracting(e -> ((InvocationCreated) e).schedule()).containsExactly(
                Schedule.onReboot(RepeatMode.NEXT_REBOOT_ONLY), Schedule.onReboot(RepeatMode.EVERY_REBOOT),
                new Schedule("rate(5m)", "UTC"));
        assertThat(commands.getAllValues()).as("the dispatcher issues each run on a reboot").allMatch(List::isEmpty);
    }

    @Test
    void aDryRunChecksEverythingAndPublishesNothing() {
        ApiException dry = catchThrowableOfType(ApiException.class,
                () -> action.handle(scheduled("DryRun", "rate(5m)", null)));
        assertThat(dry.error()).isEqualTo(ApiError.DRY_RUN_OPERATION);
        ApiException bad = catchThrowableOfType(ApiException.class,
                () -> action.handle(scheduled("DryRun", "rate(5x)", null)));
        assertThat(bad.error()).isEqualTo(ApiError.INVALID_PARAMETER);
        verify(publisher, times(0)).publish(any(), anyList());
    }

    @Test
    void badSchedulesAreRefusedNamingWhatIsWrong() {
        assertThat(refusal(scheduled("Period", null, null)).getMessage()).contains("Frequency");
        assertThat(refusal(scheduled("Period", null, null)).error()).isEqualTo(ApiError.MISSING_PARAMETER);
        assertThat(refusal(scheduled(null, "rate(30s)", null)).getMessage()).contains("60 seconds");
        assertThat(refusal(scheduled(null, "rate(2m)", "300")).getMessage()).contains("longer than the Timeout");
        assertThat(refusal(scheduled(null, "at(2026-02-30 10:00:00)", null)).getMessage()).contains("real date");
        assertThat(refusal(scheduled(null, "*/5 * * ? * *", null)).getMessage()).contains("5 s apart");
        assertThat(refusal(scheduled("Weekly", null, null)).getMessage()).contains("RepeatMode");
        verify(publisher, times(0)).publish(any(), anyList());
    }

    private ApiException refusal(RpcRequest request) {
        return catchThrowableOfType(ApiException.class, () -> action.handle(request));
    }
}
