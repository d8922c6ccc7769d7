package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.auth.Ownership;
import io.stopplane.api.eventlog.InvocationEventLog;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.IndexKeys;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
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
 * paged. With {@code IncludeHistory=true} (which, as Alibaba says, needs the {@code InvokeId}) a scheduled invocation
 * gives one row per run of each target instead ({@link RunHistory}), paged the same way; a run-once invocation's rows
 * are its targets', as without. ResourceGroupId and Tag.N are accepted and not applied.
 */
@Component
class DescribeInvocationResultsAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final VisibleInvocations invocations;
    private final Outputs outputs;
    private final InvocationView view;
    private final InvocationEventLog log;

    DescribeInvocationResultsAction(Regions regions, ActionAuthorizer authorizer, VisibleInvocations invocations,
            Outputs outputs, InvocationView view, InvocationEventLog log) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.invocations = invocations;
        this.outputs = outputs;
        this.view = view;
        this.log = log;
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
        boolean history = request.boolParam("IncludeHistory", false);
        Paging paging = Paging.read(request, 10, 50);
        Optional<String> invokeId = request.optional("InvokeId");
        if (history && invokeId.isEmpty()) {
            throw new ApiException(ApiError.MISSING_PARAMETER, "InvokeId");
        }
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
        if (history) {
            Optional<InvocationState> scheduled = scheduled(invokeId.get(), region, caller);
            if (scheduled.isPresent()) {
                return history(scheduled.get(), instanceFilter, paging, base64);
            }
        }
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

    /** The caller's scheduled invocation of that id in the region, if it is one. */
    private Optional<InvocationState> scheduled(String invokeId, RegionId region, Caller caller) {
        return InvokeId.isValid(invokeId) ? view.get(InvokeId.of(invokeId))
                .filter(s -> region.equals(s.regionId()) && Ownership.visible(caller, s.ownerAccountId())
                        && s.schedule() != null) : Optional.empty();
    }

    private Map<String, Object> history(InvocationState s, Predicate<InstanceState> instanceFilter, Paging paging,
            boolean base64) {
        List<InstanceState> runs = RunHistory.runs(s, log.read(s.invokeId(),
                s.creationTime() == null ? Instant.EPOCH : s.creationTime()).events()).stream()
                .filter(instanceFilter).toList();
        long created = s.creationTime() == null ? 0 : s.creationTime().toEpochMilli();
        List<Row> rows = IntStream.range(0, runs.size())
                .mapToObj(n -> new Row(s, runs.get(n), new RowKey(created, s.invokeId().value(), n))).toList();
        Paging.Page<Row> page = paging.apply(after -> rows.stream(), rows.size(), Row::key);
        Map<String, Object> invocation = new LinkedHashMap<>();
        paging.describe(invocation, page);
        invocation.put("InvocationResults", Map.of("InvocationResult", page.rows().stream()
                .map(r -> InvocationRenderer.result(s, r.instance(), (state, run) -> run.output() == null ? ""
                        : run.output(), base64)).toList()));
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
