package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.schedule.FrequencyLimits;
import io.stopplane.model.state.InvocationState;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * RunCommand: creates an invocation and sends a run to each of its instances, in one transaction (see
 * {@link Invocations}); with {@code KeepCommand} the command is saved to the library first, under the CommandId the
 * answer gives. Checks, in order: parameters (the custom parameters' values against the content among them), region,
 * Cloud Assistant in the region, instance count, permission, ClientToken, registered targets.
 */
@Component
class RunCommandAction implements ActionHandler {

    static final int MAX_INSTANCES = 100;

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final Invocations invocations;
    private final FrequencyLimits limits;

    RunCommandAction(Regions regions, ActionAuthorizer authorizer, Invocations invocations, ApiProperties props) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.invocations = invocations;
        this.limits = props.schedules().limits();
    }

    @Override
    public String action() {
        return "RunCommand";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RunCommandParameters p = RunCommandParameters.read(request, regions, limits);
        regions.requireCloudAssistant(p.regionId());
        InstanceIds.requireAtMost(p.instances(), MAX_INSTANCES);
        Caller caller = authorizer.authorize(request);
        InvocationState state = invocations.create(p, caller, null);
        return Map.of("CommandId", state.command().commandId().value(), "InvokeId", state.invokeId().value());
    }
}
