package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * DescribeInvocations: the caller's invocations in a region, newest first, filtered and paged. Unknown or malformed ids
 * in a filter give an empty list, not an error. ResourceGroupId and Tag.N are accepted and not applied: invocations
 * carry neither yet.
 */
@Component
class DescribeInvocationsAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final VisibleInvocations invocations;
    private final Outputs outputs;

    DescribeInvocationsAction(Regions regions, ActionAuthorizer authorizer, VisibleInvocations invocations,
            Outputs outputs) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.invocations = invocations;
        this.outputs = outputs;
    }

    @Override
    public String action() {
        return "DescribeInvocations";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        boolean includeOutput = request.boolParam("IncludeOutput", false);
        boolean base64 = InvocationRenderer.base64(request);
        Predicate<InvocationState> filter = filter(request);
        Paging paging = Paging.read(request, 10, 50);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        List<InvocationState> matching = invocations.in(region, caller, request.optional("InvokeId"), filter).toList();
        Paging.Page<InvocationState> page = paging.apply(matching, VisibleInvocations::key);
        Map<String, Object> body = new LinkedHashMap<>();
        paging.describe(body, page);
        body.put("Invocations", Map.of("Invocation", page.rows().stream()
                .map(s -> InvocationRenderer.invocation(s, includeOutput ? outputs::of : null, base64)).toList()));
        return body;
    }

    private static Predicate<InvocationState> filter(RpcRequest request) {
        Predicate<InvocationState> p = s -> true;
        Optional<String> invokeId = request.optional("InvokeId");
        if (invokeId.isPresent()) {
            p = p.and(s -> s.invokeId().value().equals(invokeId.get()));
        }
        Optional<String> commandId = request.optional("CommandId");
        if (commandId.isPresent()) {
            p = p.and(s -> s.command() != null && s.command().commandId().value().equals(commandId.get()));
        }
        Optional<String> commandName = request.optional("CommandName");
        if (commandName.isPresent()) {
            p = p.and(s -> s.command() != null && commandName.get().equals(s.command().name()));
        }
        Optional<String> commandType = request.optional("CommandType");
        if (commandType.isPresent()) {
            p = p.and(s -> s.command() != null && commandType.get().equals(s.command().type()));
        }
        Optional<String> instanceId = request.optional("InstanceId");
        if (instanceId.isPresent()) {
            p = p.and(s -> InstanceId.isValid(instanceId.get())
                    && s.instance(InstanceId.of(instanceId.get())).isPresent());
        }
        Optional<String> status = request.optional("InvokeStatus");
        if (status.isPresent()) {
            p = p.and(s -> s.invocationStatus().wireName().equalsIgnoreCase(status.get())
                    || s.invocationStatus().legacyInvokeStatus().equalsIgnoreCase(status.get()));
        }
        Optional<String> repeatMode = request.optional("RepeatMode");
        if (repeatMode.isPresent()) {
            p = p.and(s -> repeatMode.get().equals("Once")); // the only mode this build runs
        }
        if (request.boolParam("Timed", false)) {
            p = p.and(s -> false); // nothing is timed in this build
        }
        return p;
    }
}
