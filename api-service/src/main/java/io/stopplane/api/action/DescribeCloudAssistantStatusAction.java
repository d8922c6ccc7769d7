package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.AgentRegistry;
import io.stopplane.api.view.IndexKeys;
import io.stopplane.model.event.Caller;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * DescribeCloudAssistantStatus, from agent heartbeats: one row per registered instance of the caller in the region
 * (those named by {@code InstanceId.N}, else all), {@code CloudAssistantStatus} "true" when the last heartbeat is
 * recent enough. Unregistered instance ids give no row. Our agents run on Linux: {@code OSType=Windows} matches nothing.
 */
@Component
class DescribeCloudAssistantStatusAction implements ActionHandler {

    static final int MAX_INSTANCES = 50;

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final AgentRegistry agents;
    private final Targets targets;
    private final VisibleInvocations invocations;
    private final Duration onlineWithin;

    DescribeCloudAssistantStatusAction(Regions regions, ActionAuthorizer authorizer, AgentRegistry agents,
            Targets targets, VisibleInvocations invocations, ApiProperties props) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.agents = agents;
        this.targets = targets;
        this.invocations = invocations;
        this.onlineWithin = props.agentOnlineWithin();
    }

    @Override
    public String action() {
        return "DescribeCloudAssistantStatus";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        List<InstanceId> named = InstanceIds.read(request);
        Optional<String> osType = request.optional("OSType");
        if (osType.isPresent() && !osType.get().equalsIgnoreCase("Linux")
                && !osType.get().equalsIgnoreCase("Windows")) {
            throw RpcRequest.invalid("OSType", "It must be Linux or Windows.");
        }
        Paging paging = Paging.read(request, 10, 50);
        regions.requireCloudAssistant(region);
        InstanceIds.requireAtMost(named, MAX_INSTANCES);
        Caller caller = authorizer.authorize(request);
        Paging.Page<AgentHeartbeat> page;
        if (osType.isPresent() && !osType.get().equalsIgnoreCase("Linux")) {
            page = paging.apply(after -> Stream.empty(), 0, DescribeCloudAssistantStatusAction::key);
        } else if (named.isEmpty()) {
            page = paging.apply(after -> agents.from(caller.accountId(), region, after == null ? null : after.id())
                    .filter(b -> region.equals(b.regionId()) && targets.owned(b, caller)),
                    agents.count(caller.accountId(), region), DescribeCloudAssistantStatusAction::key);
        } else {
            List<AgentHeartbeat> rows = named(named, region, caller);
            page = paging.apply(after -> rows.stream(), rows.size(), DescribeCloudAssistantStatusAction::key);
        }
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        paging.describe(body, page);
        body.put("InstanceCloudAssistantStatusSet", Map.of("InstanceCloudAssistantStatus",
                page.rows().stream().map(b -> row(b, region, caller, now)).toList()));
        return body;
    }

    /** The named instances registered to the caller in the region, by instance id: looked up, not searched for. */
    private List<AgentHeartbeat> named(List<InstanceId> named, RegionId region, Caller caller) {
        return named.stream().distinct().map(agents::get).flatMap(Optional::stream)
                .filter(b -> region.equals(b.regionId()) && targets.owned(b, caller))
                .sorted(Comparator.comparing(b -> b.instanceId().value()))
                .toList();
    }

    private static RowKey key(AgentHeartbeat beat) {
        return new RowKey(0, beat.instanceId().value(), 0);
    }

    /** A row, with the instance's activity from the view's indexes of its invocations in the region. */
    private Map<String, Object> row(AgentHeartbeat beat, RegionId region, Caller caller, Instant now) {
        String instance = beat.instanceId().value();
        Instant lastInvoked = invocations.under(region, caller, IndexKeys.instance(instance)).findFirst()
                .map(InvocationState::creationTime).orElse(null);
        boolean online = !beat.at().isBefore(now.minus(onlineWithin));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", instance);
        m.put("CloudAssistantStatus", String.valueOf(online));
        m.put("CloudAssistantVersion", beat.agentVersion() == null ? "" : beat.agentVersion());
        m.put("LastHeartbeatTime", InvocationRenderer.time(beat.at()));
        m.put("ActiveTaskCount", invocations.count(region, caller, IndexKeys.active(instance)));
        m.put("InvocationCount", invocations.count(region, caller, IndexKeys.instance(instance)));
        m.put("LastInvokedTime", InvocationRenderer.time(lastInvoked));
        m.put("OSType", "Linux");
        m.put("SupportSessionManager", false);
        return m;
    }
}
