package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.FrequencyLimits;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * ModifyInvocationAttribute: changes a live scheduled invocation ({@code Period}, {@code NextRebootOnly},
 * {@code EveryReboot}) from its next run on: its content ({@code CommandContent}, Base64 unless {@code ContentEncoding}
 * says PlainText), its {@code Frequency} (Period only), its {@code Parameters}, and adds instances
 * ({@code InstanceId.N}). The run in progress is not touched; the CommandId stays. The dispatcher folds the event
 * ({@link InvocationModified}) into a new revision of the schedule (docs/schedules.md). Checks, in order: the form
 * (InvokeId, the content, Parameters a JSON object, at most 100 instances), region, Cloud Assistant in the region,
 * permission, the caller's invocation, that it is modifiable, the Frequency (as RunCommand reads one), the parameters'
 * values against the content (as RunCommand resolves them), the added instances (as RunCommand's targets); then the
 * event is published, and nothing before.
 */
@Component
class ModifyInvocationAttributeAction implements ActionHandler {

    static final int MAX_INSTANCES = 100;

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final EventPublisher publisher;
    private final InvocationView view;
    private final Targets targets;
    private final FrequencyLimits limits;

    ModifyInvocationAttributeAction(Regions regions, ActionAuthorizer authorizer, EventPublisher publisher,
            InvocationView view, Targets targets, ApiProperties props) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.view = view;
        this.targets = targets;
        this.limits = props.schedules().limits();
    }

    @Override
    public String action() {
        return "ModifyInvocationAttribute";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        InvokeId invokeId = Lookup.invokeId(request);
        Optional<String> content = request.optional("CommandContent")
                .map(raw -> CommandContents.decode(raw, request.optional("ContentEncoding").orElse("Base64")));
        boolean parametersGiven = request.optional("Parameters").filter(p -> !p.isBlank()).isPresent();
        Map<String, String> values = ParameterValues.read(request);
        Optional<String> frequency = request.optional("Frequency");
        List<InstanceId> added = InstanceIds.read(request);
        InstanceIds.requireAtMost(added, MAX_INSTANCES);
        if (content.isEmpty() && !parametersGiven && frequency.isEmpty() && added.isEmpty()) {
            throw new ApiException(ApiError.MISSING_PARAMETER,
                    "CommandContent, Frequency, Parameters or InstanceId.N (nothing to modify)");
        }
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        InvocationState state = Lookup.invocation(view, invokeId, region, caller);
        if (state.schedule() == null) {
            throw new ApiException(ApiError.INVALID_OPERATION, "it runs once (RepeatMode Once); only a Period, "
                    + "NextRebootOnly or EveryReboot invocation can be modified.");
        }
        if (state.invocationStatus().isFinal()) {
            throw new ApiException(ApiError.INVALID_OPERATION, "it is " + state.invocationStatus().wireName()
                    + "; only one still Pending, Running, Scheduled or Stopping can be modified.");
        }
        String newFrequency = null;
        String zone = null;
        if (frequency.isPresent()) {
            if (state.schedule().onReboot()) {
                throw RpcRequest.invalid("Frequency", "The invocation runs on reboot ("
                        + state.repeatMode().wireName() + "): it has no Frequency to modify.");
            }
            Schedule period = RunCommandParameters.period(frequency.get(), state.command().timeoutSeconds(),
                    limits);
            newFrequency = period.frequency();
            zone = period.zone();
        }
        Map<String, String> parameters = parameters(request, state, content, parametersGiven, values);
        for (InstanceId id : added) {
            if (!targets.targetable(id, region, caller)) {
                throw Lookup.missing(targets.ready(), ApiError.INVALID_INSTANCE);
            }
        }
        int revision = state.schedule().revision() + 1;
        publisher.publish(new InvocationModified(UUID.randomUUID().toString(), state.invokeId(),
                RegistryWrites.now(), content.orElse(null), parameters, newFrequency, zone, added, revision, caller),
                List.of());
        return Map.of();
    }

    /**
     * The new values to record, or null when they do not change: checked against the content the runs will resolve
     * (the new one, else the invocation's), so that a parameter the new content names without a value, or a value it
     * does not name, is refused as RunCommand refuses it. An invocation without {@code EnableParameter} takes none, and
     * an {@code EnableParameter} on the call other than the invocation's is refused.
     */
    private static Map<String, String> parameters(RpcRequest request, InvocationState state, Optional<String> content,
            boolean given, Map<String, String> values) {
        boolean enabled = state.parameters() != null;
        Optional<String> enableParameter = request.optional("EnableParameter");
        if (enableParameter.isPresent() && request.boolParam("EnableParameter", enabled) != enabled) {
            // refused, not ignored: the runs would resolve (or not) placeholders other than the caller asked
            throw RpcRequest.invalid("EnableParameter", "Whether the invocation takes parameters is fixed when it is "
                    + "created: it is " + enabled + " here.");
        }
        String template = content.orElse(state.command().content());
        List<String> names = enabled ? ParameterValues.names(template) : List.of();
        if (given) {
            return ParameterValues.forCommand(enabled, names, values);
        }
        if (enabled && content.isPresent()) {
            ParameterValues.forCommand(true, names, state.parameters());
        }
        return null;
    }
}
