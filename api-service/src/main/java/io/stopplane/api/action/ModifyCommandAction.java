package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.LibraryCommand;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * ModifyCommand: changes a command's name, description, content (Base64, as Alibaba's), timeout or working directory;
 * what is not given stays. New content of a command with parameters has its parameters read again. Invocations
 * already created keep the content they were created with. Checks, in order: parameters, region, Cloud Assistant in
 * the region, permission, the command.
 */
@Component
class ModifyCommandAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final CommandLibrary library;

    ModifyCommandAction(Regions regions, ActionAuthorizer authorizer, CommandLibrary library) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.library = library;
    }

    @Override
    public String action() {
        return "ModifyCommand";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        String commandId = Commands.commandId(request);
        Optional<String> name = Commands.name(request);
        Optional<String> description = Commands.description(request);
        Optional<String> content = request.optional("CommandContent")
                .map(raw -> CommandContents.decode(raw, "Base64"));
        Optional<Integer> timeout = request.optional("Timeout").map(t -> request.intParam("Timeout", 0, 1, 86400));
        Optional<String> workingDir = request.optional("WorkingDir");
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        LibraryCommand c = Commands.require(library, region, caller, commandId);
        String newContent = content.orElse(c.content());
        List<String> names = c.enableParameter() ? ParameterValues.names(newContent) : List.of();
        library.write(new LibraryCommand(c.commandId(), c.accountId(), c.regionId(), name.orElse(c.name()),
                description.orElse(c.description()), c.type(), newContent, timeout.orElse(c.timeoutSeconds()),
                workingDir.orElse(c.workingDir()), c.enableParameter(), names, c.creationTime(),
                RegistryWrites.now(), false, caller, c.version() + 1));
        return Map.of();
    }
}
