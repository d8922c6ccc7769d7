package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.IndexKeys;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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
        Function<Caller, VisibleInvocations.Selection> selection = selection(request, region);
        Paging paging = Paging.read(request, 10, 50);
        regions.requireCloudAssistant(region);
        VisibleInvocations.Selection sel = selection.apply(authorizer.authorize(request));
        Paging.Page<InvocationState> page = paging.apply(after -> invocations.from(sel, after),
                invocations.total(sel, VisibleInvocations.Count.INVOCATIONS, s -> 1), VisibleInvocations::key);
        Map<String, Object> body = new LinkedHashMap<>();
        paging.describe(body, page);
        body.put("Invocations", Map.of("Invocation", page.rows().stream()
                .map(s -> InvocationRenderer.invocation(s, includeOutput ? outputs::of : null, base64)).toList()));
        return body;
    }

    /**
     * The filters as index keys (status, command, instance) and the whole filter as a check on each row; read before
     * the caller is authorised, as the parameters are checked first.
     */
    private static Function<Caller, VisibleInvocations.Selection> selection(RpcRequest request, RegionId region) {
        List<String> keys = new ArrayList<>();
        Predicate<InvocationState> p = s -> true;
        boolean residual = false;
        Optional<String> invokeId = request.optional("InvokeId");
        if (invokeId.isPresent()) {
            p = p.and(s -> s.invokeId().value().equals(invokeId.get()));
        }
        Optional<String> commandId = request.optional("CommandId");
        if (commandId.isPresent()) {
            keys.add(IndexKeys.command(commandId.get()));
            p = p.and(s -> s.command() != null && s.command().commandId().value().equals(commandId.get()));
        }
        Optional<String> commandName = request.optional("CommandName");
        if (commandName.isPresent()) {
            residual = true;
            p = p.and(s -> s.command() != null && commandName.get().equals(s.command().name()));
        }
        Optional<String> commandType = request.optional("CommandType");
        if (commandType.isPresent()) {
            residual = true;
            p = p.and(s -> s.command() != null && commandType.get().equals(s.command().type()));
        }
        Optional<String> instanceId = request.optional("InstanceId");
        if (instanceId.isPresent()) {
            keys.add(IndexKeys.instance(instanceId.get()));
            p = p.and(s -> InstanceId.isValid(instanceId.get())
                    && s.instance(InstanceId.of(instanceId.get())).isPresent());
        }
        Optional<String> status = request.optional("InvokeStatus");
        if (status.isPresent()) {
            keys.add(IndexKeys.status(status.get()));
            p = p.and(s -> s.invocationStatus().wireName().equalsIgnoreCase(status.get())
                    || s.invocationStatus().legacyInvokeStatus().equalsIgnoreCase(status.get()));
        }
        Optional<String> repeatMode = request.optional("RepeatMode");
        if (repeatMode.isPresent()) {
            residual = true;
            p = p.and(s -> s.repeatMode().wireName().equals(repeatMode.get()));
        }
        if (request.boolParam("Timed", false)) {
            residual = true;
            p = p.and(s -> s.schedule() != null && !s.invocationStatus().isFinal());
        }
        Predicate<InvocationState> filter = p;
        boolean keyed = !residual && keys.size() <= 1;
        return caller -> new VisibleInvocations.Selection(region, caller, invokeId, keys, filter, keyed);
    }
}
