package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.schedule.FrequencyLimits;
import io.stopplane.model.state.InvocationState;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * InvokeCommand: runs a command of the caller's library on instances, as RunCommand runs its own (see
 * {@link Invocations}); the invocation has the command's id. The values in {@code Parameters} must be exactly the
 * command's parameters. Checks, in order: parameters, region, Cloud Assistant in the region, instance count,
 * permission, the command, its parameters' values, ClientToken, registered targets.
 */
@Component
class InvokeCommandAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final CommandLibrary library;
    private final Invocations invocations;
    private final FrequencyLimits limits;

    InvokeCommandAction(Regions regions, ActionAuthorizer authorizer, CommandLibrary library,
            Invocations invocations, ApiProperties props) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.library = library;
        this.invocations = invocations;
        this.limits = props.schedules().limits();
    }

    @Override
    public String action() {
        return "InvokeCommand";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        String commandId = Commands.commandId(request);
        RunCommandParameters.Options options = RunCommandParameters.Options.read(request, region, limits);
        regions.requireCloudAssistant(region);
        InstanceIds.requireAtMost(options.instances(), RunCommandAction.MAX_INSTANCES);
        Caller caller = authorizer.authorize(request);
        LibraryCommand command = Commands.require(library, region, caller, commandId);
        InvocationState state = invocations.create(RunCommandParameters.invoke(options, command), caller,
                command.commandId());
        return Map.of("InvokeId", state.invokeId().value());
    }
}
