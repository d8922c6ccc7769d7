package io.stopplane.model.heartbeat;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent's sign of life for one instance it hosts, on the compacted {@code agent-heartbeats} topic (key: instance id).
 *
 * @param accountId the account the instance is registered to; null in the local no-auth mode
 */
public record AgentHeartbeat(
        InstanceId instanceId, RegionId regionId, String accountId, String agentVersion, String hostname, Instant at) {

    public AgentHeartbeat {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(at, "at");
    }
}
