package io.stopplane.model.registry;

import io.stopplane.model.event.Caller;
import java.time.Instant;
import java.util.Objects;

/** DisableActivation: no further registration with it; instances already registered stay. */
public record ActivationDisabled(String eventId, String activationId, Instant occurredAt, Caller caller)
        implements RegistryEvent {

    public ActivationDisabled {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
