package io.stopplane.model.event;

import io.stopplane.model.id.InstanceId;
import java.time.Instant;
import java.util.Objects;

/**
 * Who delivered an agent's report, as the agent gateway saw it (never as the agent says): the instance the connection
 * proved to be, the gateway, the remote address, and the server's receive time.
 */
public record Reporter(InstanceId instanceId, String gatewayId, String remoteAddress, Instant receivedAt) {

    public Reporter {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
