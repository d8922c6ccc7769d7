package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.LibraryCommand;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * CreateCommand: saves a command to the caller's library in the region, to be run by InvokeCommand. The content is
 * Base64 unless {@code ContentEncoding=PlainText} (Alibaba's default for this action, unlike RunCommand's); with
 * {@code EnableParameter} its {@code {{name}}} placeholders are its parameters, checked here. Checks, in order:
 * parameters, region, Cloud Assistant in the region, permission.
 */
@Component
class CreateCommandAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final CommandLibrary library;

    CreateCommandAction(Regions regions, ActionAuthorizer authorizer, CommandLibrary library) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.library = library;
    }

    @Override
    public String action() {
        return "CreateCommand";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        String name = Commands.name(request).orElseGet(() -> request.required("Name"));
        String type = CommandContents.type(request);
        String content = CommandContents.read(request, "Base64");
        String description = Commands.description(request).orElse(null);
        int timeout = request.intParam("Timeout", CommandSpec.DEFAULT_TIMEOUT_SECONDS, 1, 86400);
        boolean enableParameter = request.boolParam("EnableParameter", false);
        List<String> names = enableParameter ? ParameterValues.names(content) : List.of();
        if (request.optional("Launcher").isPresent()) {
            throw RpcRequest.invalid("Launcher", "A custom launcher is not supported by this build yet.");
        }
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        CommandId id = CommandId.random();
        Instant now = RegistryWrites.now();
        library.write(new LibraryCommand(id, caller.accountId(), region, name, description, type, content, timeout,
                request.optional("WorkingDir").orElse(null), enableParameter, names, now, now, false, caller, 1));
        return Map.of("CommandId", id.value());
    }
}
