package io.stopplane.model.heartbeat;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent's sign of life for one instance it hosts, on the compacted {@code agent-heartbeats} topic (key: instance id).
 *
 * @param accountId the account the instance is registered to; null in the local no-auth mode
 * @param bootId the boot id of the instance's host as its agent said it in its hello, checked by the gateway
 *     ({@link io.stopplane.model.agent.BootIds}); null when it said none. The dispatcher runs the reboot modes on it.
 */
public record AgentHeartbeat(
        InstanceId instanceId, RegionId regionId, String accountId, String agentVersion, String hostname, Instant at,
        String bootId) {

    public AgentHeartbeat(InstanceId instanceId, RegionId regionId, String accountId, String agentVersion,
            String hostname, Instant at) {
        this(instanceId, regionId, accountId, agentVersion, hostname, at, null);
    }

    public AgentHeartbeat {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(at, "at");
    }
}
