package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.IndexKeys;
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
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
        Optional<String> instanceId = request.optional("InstanceId");
        Optional<String> status = request.optional("InvokeRecordStatus");
        Predicate<InstanceState> instanceFilter = instanceFilter(instanceId, status);
        List<String> keys = new ArrayList<>();
        commandId.ifPresent(id -> keys.add(IndexKeys.command(id)));
        instanceId.ifPresent(id -> keys.add(IndexKeys.instance(id)));
        status.ifPresent(name -> keys.add(IndexKeys.record(name)));
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        // The count of an index is the total when it is the only filter: a target's rows (one per invocation), or
        // every target of the invocations (all of them, or a command's).
        boolean byInstance = keys.size() == 1 && instanceId.isPresent();
        VisibleInvocations.Selection sel = new VisibleInvocations.Selection(region, caller, invokeId, keys,
                s -> commandId.isEmpty()
                        || (s.command() != null && s.command().commandId().value().equals(commandId.get())),
                status.isEmpty() && (instanceId.isEmpty() || keys.size() == 1));
        long total = invocations.total(sel, byInstance ? VisibleInvocations.Count.INVOCATIONS
                : VisibleInvocations.Count.TARGETS, s -> s.instances().stream().filter(instanceFilter).count());
        Paging.Page<Row> page = paging.apply(after -> rows(invocations.from(sel, after), instanceFilter), total,
                Row::key);
        Map<String, Object> invocation = new LinkedHashMap<>();
        paging.describe(invocation, page);
        invocation.put("InvocationResults", Map.of("InvocationResult", page.rows().stream()
                .map(r -> InvocationRenderer.result(r.invocation(), r.instance(), outputs::of, base64)).toList()));
        return Map.of("Invocation", invocation);
    }

    private static Stream<Row> rows(Stream<InvocationState> invocations, Predicate<InstanceState> instanceFilter) {
        return invocations.flatMap(s -> IntStream.range(0, s.instances().size())
                .filter(n -> instanceFilter.test(s.instances().get(n)))
                .mapToObj(n -> new Row(s, s.instances().get(n), VisibleInvocations.key(s, n))));
    }

    private static Predicate<InstanceState> instanceFilter(Optional<String> instanceId, Optional<String> status) {
        Predicate<InstanceState> p = i -> true;
        if (instanceId.isPresent()) {
            p = p.and(i -> i.instanceId().value().equals(instanceId.get()));
        }
        if (status.isPresent()) {
            p = p.and(i -> i.status().invokeRecordStatus().equalsIgnoreCase(status.get())
                    || i.status().wireName().equalsIgnoreCase(status.get()));
        }
        return p;
    }
}
