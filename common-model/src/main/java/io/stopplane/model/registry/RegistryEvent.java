package io.stopplane.model.registry;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * An event on {@code registry-events}, keyed by activation id: every change to an activation and to the managed
 * instances registered with it, in one partition and in order, so that one writer (the dispatcher's registry fold)
 * decides each registration against the activation's limits. The append-only audit log of who may be an agent.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ActivationCreated.class, name = "ActivationCreated"),
    @JsonSubTypes.Type(value = ActivationDisabled.class, name = "ActivationDisabled"),
    @JsonSubTypes.Type(value = ActivationDeleted.class, name = "ActivationDeleted"),
    @JsonSubTypes.Type(value = RegistrationRequested.class, name = "RegistrationRequested"),
    @JsonSubTypes.Type(value = ManagedInstanceModified.class, name = "ManagedInstanceModified"),
    @JsonSubTypes.Type(value = ManagedInstanceDeregistered.class, name = "ManagedInstanceDeregistered")
})
public sealed interface RegistryEvent permits ActivationCreated, ActivationDisabled, ActivationDeleted,
        RegistrationRequested, ManagedInstanceModified, ManagedInstanceDeregistered {

    String eventId();

    /** The record key: the activation the change belongs to. */
    String activationId();

    /** Server time: the api-service's or the gateway's clock, never an agent's. */
    Instant occurredAt();
}
