package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.LibraryCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The caller's commands of the library in a region, and how a command is shown (DescribeCommands' fields). Another
 * account's command is one that does not exist: {@code InvalidCommandId.NotFound}, as for an unknown id.
 */
final class Commands {

    static final int MAX_NAME = 128;
    static final int MAX_DESCRIPTION = 512;

    private Commands() {
    }

    static Stream<LibraryCommand> visible(CommandLibrary library, RegionId region, Caller caller) {
        return library.commands().filter(c -> region.equals(c.regionId()) && Ownership.visible(caller, c.accountId()));
    }

    /** {@code CommandId}, required; a malformed one is looked up (after the permission) as an unknown one. */
    static String commandId(RpcRequest request) {
        return request.required("CommandId");
    }

    /**
     * The caller's command in the region, else 404 InvalidCommandId.NotFound: a malformed, unknown or deleted id, or
     * another account's command.
     */
    static LibraryCommand require(CommandLibrary library, RegionId region, Caller caller, String commandId) {
        if (!CommandId.isValid(commandId)) {
            throw new ApiException(ApiError.INVALID_COMMAND_ID);
        }
        return library.command(CommandId.of(commandId))
                .filter(c -> region.equals(c.regionId()) && Ownership.visible(caller, c.accountId()))
                .orElseThrow(() -> Lookup.missing(library.ready(), ApiError.INVALID_COMMAND_ID));
    }

    static Optional<String> name(RpcRequest request) {
        Optional<String> name = request.optional("Name");
        if (name.isPresent() && name.get().length() > MAX_NAME) {
            throw RpcRequest.invalid("Name", "It must be at most " + MAX_NAME + " characters.");
        }
        return name;
    }

    static Optional<String> description(RpcRequest request) {
        Optional<String> description = request.optional("Description");
        if (description.isPresent() && description.get().length() > MAX_DESCRIPTION) {
            throw RpcRequest.invalid("Description", "It must be at most " + MAX_DESCRIPTION + " characters.");
        }
        return description;
    }

    /** A command as DescribeCommands shows it; {@code invokeTimes}: the caller's invocations of it. */
    static Map<String, Object> render(LibraryCommand c, boolean base64, int invokeTimes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CommandId", c.commandId().value());
        m.put("Name", c.name());
        m.put("Type", c.type());
        m.put("Description", c.description() == null ? "" : c.description());
        m.put("CommandContent", InvocationRenderer.encode(c.content(), base64));
        m.put("WorkingDir", c.workingDir() == null ? "" : c.workingDir());
        m.put("Timeout", c.timeoutSeconds());
        m.put("CreationTime", InvocationRenderer.time(c.creationTime()));
        m.put("EnableParameter", c.enableParameter());
        m.put("ParameterNames", Map.of("ParameterName", c.parameterNames()));
        m.put("InvokeTimes", invokeTimes);
        m.put("Latest", true);
        m.put("Version", 1);
        m.put("Provider", "");
        m.put("Category", "");
        m.put("Tags", Map.of("Tag", List.of()));
        return m;
    }
}
