package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ItemList;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.IndexKeys;
import io.stopplane.api.view.AgentRegistry;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.time.Duration;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * DescribeManagedInstances: the caller's registered instances in the region, newest registration first, filtered by
 * {@code InstanceId.N} (at most 50), {@code InstanceName}, {@code ActivationId}, {@code InstanceIp} and {@code OsType};
 * {@code Connected} from the agent's last heartbeat, the invocation counts from the invocation view.
 */
@Component
class DescribeManagedInstancesAction implements ActionHandler {

    static final int MAX_INSTANCES = 50;

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryView registry;
    private final AgentRegistry agents;
    private final VisibleInvocations invocations;
    private final Duration onlineWithin;

    DescribeManagedInstancesAction(Regions regions, ActionAuthorizer authorizer, RegistryView registry,
            AgentRegistry agents, VisibleInvocations invocations, ApiProperties props) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.registry = registry;
        this.agents = agents;
        this.invocations = invocations;
        this.onlineWithin = props.agentOnlineWithin();
    }

    @Override
    public String action() {
        return "DescribeManagedInstances";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        List<InstanceId> named = InstanceIds.read(request);
        Optional<String> name = request.optional("InstanceName");
        Optional<String> activationId = request.optional("ActivationId");
        Optional<String> ip = request.optional("InstanceIp");
        Optional<String> osType = request.optional("OsType");
        Paging paging = Paging.read(request, 10, 50);
        regions.requireCloudAssistant(region);
        InstanceIds.requireAtMost(named, MAX_INSTANCES);
        Caller caller = authorizer.authorize(request);
        List<ManagedInstanceRecord> rows = ManagedInstances.visible(registry, region, caller)
                .filter(i -> named.isEmpty() || named.contains(i.instanceId()))
                .filter(i -> name.isEmpty() || name.get().equals(i.instanceName()))
                .filter(i -> activationId.isEmpty() || activationId.get().equals(i.activationId()))
                .filter(i -> ip.isEmpty() || ip.get().equals(i.ipAddress()))
                .filter(i -> osType.isEmpty() || osType.get().equalsIgnoreCase(i.osType()))
                .sorted((x, y) -> key(x).compareTo(key(y)))
                .toList();
        Paging.Page<ManagedInstanceRecord> page = paging.apply(after -> rows.stream(), rows.size(), DescribeManagedInstancesAction::key);
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        paging.describe(body, page);
        body.put("Instances", new ItemList("Instance",
                page.rows().stream().map(i -> row(i, region, caller, now)).toList()));
        return body;
    }

    /** A row, with the instance's activity from the view's indexes of its invocations in the region. */
    private Map<String, Object> row(ManagedInstanceRecord i, RegionId region, Caller caller, Instant now) {
        String instance = i.instanceId().value();
        Map<String, Object> m = ManagedInstances.render(i);
        m.put("Connected", agents.get(i.instanceId()).filter(b -> !b.at().isBefore(now.minus(onlineWithin)))
                .isPresent());
        m.put("InvocationCount", invocations.count(region, caller, IndexKeys.instance(instance)));
        m.put("LastInvokedTime", InvocationRenderer.time(invocations.under(region, caller, IndexKeys.instance(instance))
                .findFirst().map(InvocationState::creationTime).orElse(null)));
        return m;
    }

    private static RowKey key(ManagedInstanceRecord i) {
        return new RowKey(i.registrationTime().toEpochMilli(), i.instanceId().value(), 0);
    }
}
