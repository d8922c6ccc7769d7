package io.stopplane.model.registry;

import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import java.time.Instant;
import java.util.Objects;

/** DeregisterManagedInstance: the instance's identity is revoked for good; gateways disconnect it. */
public record ManagedInstanceDeregistered(
        String eventId, String activationId, Instant occurredAt, InstanceId instanceId, Caller caller)
        implements RegistryEvent {

    public ManagedInstanceDeregistered {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(instanceId, "instanceId");
    }
}
