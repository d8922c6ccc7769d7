package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.LibraryCommand;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * DeleteCommand: removes a command from the caller's library; InvokeCommand of it is then InvalidCommandId.NotFound.
 * Invocations already created go on, and DescribeInvocations still shows them under its id. Checks, in order:
 * parameters, region, Cloud Assistant in the region, permission, the command.
 */
@Component
class DeleteCommandAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final CommandLibrary library;

    DeleteCommandAction(Regions regions, ActionAuthorizer authorizer, CommandLibrary library) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.library = library;
    }

    @Override
    public String action() {
        return "DeleteCommand";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        String commandId = Commands.commandId(request);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        LibraryCommand c = Commands.require(library, region, caller, commandId);
        library.write(c.deletedBy(caller, RegistryWrites.now()));
        return Map.of();
    }
}
