package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.IndexKeys;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.LibraryCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * DescribeCommands: the caller's commands in the region, newest first, filtered by {@code CommandId}, {@code Name},
 * {@code Type} and {@code Description}, paged ({@code PageNumber}/{@code PageSize} or {@code NextToken}/
 * {@code MaxResults}); {@code CommandContent} in Base64 unless {@code ContentEncoding=PlainText}. A filter that matches
 * nothing gives an empty list. There are no public commands: a {@code Provider} filter matches nothing.
 */
@Component
class DescribeCommandsAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final CommandLibrary library;
    private final VisibleInvocations invocations;

    DescribeCommandsAction(Regions regions, ActionAuthorizer authorizer, CommandLibrary library,
            VisibleInvocations invocations) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.library = library;
        this.invocations = invocations;
    }

    @Override
    public String action() {
        return "DescribeCommands";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        Optional<String> commandId = request.optional("CommandId");
        Optional<String> name = request.optional("Name");
        Optional<String> type = request.optional("Type");
        Optional<String> description = request.optional("Description");
        boolean publicOnly = request.optional("Provider").isPresent();
        boolean base64 = InvocationRenderer.base64(request);
        Paging paging = Paging.read(request, 10, 50);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        List<LibraryCommand> rows = Commands.visible(library, region, caller)
                .filter(c -> !publicOnly)
                .filter(c -> commandId.isEmpty() || commandId.get().equals(c.commandId().value()))
                .filter(c -> name.isEmpty() || name.get().equals(c.name()))
                .filter(c -> type.isEmpty() || type.get().equals(c.type()))
                .filter(c -> description.isEmpty() || description.get().equals(c.description()))
                .sorted((x, y) -> key(x).compareTo(key(y)))
                .toList();
        Paging.Page<LibraryCommand> page = paging.apply(after -> rows.stream(), rows.size(),
                DescribeCommandsAction::key);
        Map<String, Object> body = new LinkedHashMap<>();
        paging.describe(body, page);
        body.put("Commands", Map.of("Command", page.rows().stream()
                .map(c -> Commands.render(c, base64, invocations.count(region, caller,
                        IndexKeys.command(c.commandId().value()))))
                .toList()));
        return body;
    }

    private static RowKey key(LibraryCommand c) {
        return new RowKey(c.creationTime().toEpochMilli(), c.commandId().value(), 0);
    }
}
