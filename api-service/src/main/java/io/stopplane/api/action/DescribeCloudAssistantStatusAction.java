package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.AgentRegistry;
import io.stopplane.model.event.Caller;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        List<AgentHeartbeat> rows = agents.all().stream()
                .filter(b -> region.equals(b.regionId()) && targets.owned(b, caller))
                .filter(b -> named.isEmpty() || named.contains(b.instanceId()))
                .filter(b -> osType.isEmpty() || osType.get().equalsIgnoreCase("Linux"))
                .sorted(Comparator.comparing(b -> b.instanceId().value()))
                .toList();
        Paging.Page<AgentHeartbeat> page = paging.apply(rows, b -> new RowKey(0, b.instanceId().value(), 0));
        InstanceActivity activity = InstanceActivity.of(invocations.in(region, caller));
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        paging.describe(body, page);
        body.put("InstanceCloudAssistantStatusSet", Map.of("InstanceCloudAssistantStatus",
                page.rows().stream().map(b -> row(b, activity, now)).toList()));
        return body;
    }

    private Map<String, Object> row(AgentHeartbeat beat, InstanceActivity activity, Instant now) {
        boolean online = !beat.at().isBefore(now.minus(onlineWithin));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", beat.instanceId().value());
        m.put("CloudAssistantStatus", String.valueOf(online));
        m.put("CloudAssistantVersion", beat.agentVersion() == null ? "" : beat.agentVersion());
        m.put("LastHeartbeatTime", InvocationRenderer.time(beat.at()));
        m.put("ActiveTaskCount", activity.active(beat.instanceId()));
        m.put("InvocationCount", activity.total(beat.instanceId()));
        m.put("LastInvokedTime", InvocationRenderer.time(activity.lastInvoked(beat.instanceId())));
        m.put("OSType", "Linux");
        m.put("SupportSessionManager", false);
        return m;
    }
}
