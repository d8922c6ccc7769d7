package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * DescribeInvocationResults: one row per (invocation, instance), with output, newest invocation first, filtered and
 * paged. IncludeHistory changes nothing: a run-once invocation has no earlier runs. ResourceGroupId and Tag.N are
 * accepted and not applied.
 */
@Component
class DescribeInvocationResultsAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final VisibleInvocations invocations;
    private final Outputs outputs;

    DescribeInvocationResultsAction(Regions regions, ActionAuthorizer authorizer, VisibleInvocations invocations,
            Outputs outputs) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.invocations = invocations;
        this.outputs = outputs;
    }

    /** One result row and its position. */
    private record Row(InvocationState invocation, InstanceState instance, RowKey key) {
    }

    @Override
    public String action() {
        return "DescribeInvocationResults";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        boolean base64 = InvocationRenderer.base64(request);
        request.boolParam("IncludeHistory", false);
        Paging paging = Paging.read(request, 10, 50);
        Optional<String> invokeId = request.optional("InvokeId");
        Optional<String> commandId = request.optional("CommandId");
        Predicate<InstanceState> instanceFilter = instanceFilter(request);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        List<Row> rows = new ArrayList<>();
        invocations.in(region, caller, invokeId, s -> commandId.isEmpty()
                        || (s.command() != null && s.command().commandId().value().equals(commandId.get())))
                .forEach(s -> {
                    for (int n = 0; n < s.instances().size(); n++) {
                        if (instanceFilter.test(s.instances().get(n))) {
                            rows.add(new Row(s, s.instances().get(n), VisibleInvocations.key(s, n)));
                        }
                    }
                });
        Paging.Page<Row> page = paging.apply(rows, Row::key);
        Map<String, Object> invocation = new LinkedHashMap<>();
        paging.describe(invocation, page);
        invocation.put("InvocationResults", Map.of("InvocationResult", page.rows().stream()
                .map(r -> InvocationRenderer.result(r.invocation(), r.instance(), outputs::of, base64)).toList()));
        return Map.of("Invocation", invocation);
    }

    private static Predicate<InstanceState> instanceFilter(RpcRequest request) {
        Predicate<InstanceState> p = i -> true;
        Optional<String> instanceId = request.optional("InstanceId");
        if (instanceId.isPresent()) {
            p = p.and(i -> i.instanceId().value().equals(instanceId.get()));
        }
        Optional<String> status = request.optional("InvokeRecordStatus");
        if (status.isPresent()) {
            p = p.and(i -> i.status().invokeRecordStatus().equalsIgnoreCase(status.get())
                    || i.status().wireName().equalsIgnoreCase(status.get()));
        }
        return p;
    }
}
