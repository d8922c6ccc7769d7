package io.stopplane.model.registry;

import io.stopplane.model.event.Caller;
import java.time.Instant;
import java.util.Objects;

/** DeleteActivation: the activation is gone from the views (its registry record is tombstoned). */
public record ActivationDeleted(String eventId, String activationId, Instant occurredAt, Caller caller)
        implements RegistryEvent {

    public ActivationDeleted {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
