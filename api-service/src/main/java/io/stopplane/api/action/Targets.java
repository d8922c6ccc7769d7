package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.view.AgentRegistry;
import io.stopplane.model.event.Caller;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which instances a caller may target: one whose agent has a heartbeat in the region, and that belongs to the caller.
 * A managed instance belongs to the account of its registration ({@code agent-registry}), whatever a heartbeat says,
 * and once deregistered belongs to no one; only an instance the registry does not know (an agent of before the
 * gateway) is still owned by its heartbeat's account.
 */
@Component
class Targets {

    private final AgentRegistry agents;
    private final RegistryView registry;

    Targets(AgentRegistry agents, RegistryView registry) {
        this.agents = agents;
        this.registry = registry;
    }

    boolean targetable(InstanceId id, RegionId region, Caller caller) {
        return agents.get(id).filter(beat -> region.equals(beat.regionId())).filter(beat -> owned(beat, caller))
                .isPresent();
    }

    /** Whether the instance of this heartbeat is the caller's, by the rule above. */
    boolean owned(AgentHeartbeat beat, Caller caller) {
        Optional<ManagedInstanceRecord> managed = registry.instance(beat.instanceId());
        if (managed.isPresent()) {
            ManagedInstanceRecord m = managed.get();
            return !m.deregistered() && beat.regionId().equals(m.regionId())
                    && Ownership.visible(caller, m.accountId());
        }
        return Ownership.visible(caller, beat.accountId());
    }

    /** Both tables read to their end: a miss then means the instance is not a target. */
    boolean ready() {
        return agents.ready() && registry.ready();
    }
}
