package io.stopplane.model.registry;

import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import java.time.Instant;
import java.util.Objects;

/** ModifyManagedInstance: a new name for a registered instance. */
public record ManagedInstanceModified(
        String eventId, String activationId, Instant occurredAt, InstanceId instanceId, String instanceName,
        Caller caller)
        implements RegistryEvent {

    public ManagedInstanceModified {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(instanceId, "instanceId");
    }
}
