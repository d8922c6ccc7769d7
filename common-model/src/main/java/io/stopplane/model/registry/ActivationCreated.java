package io.stopplane.model.registry;

import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import java.time.Instant;
import java.util.Objects;

/**
 * CreateActivation was accepted. The activation code itself is never written anywhere: only its SHA-256
 * ({@code codeHash}, lower-case hex), which the fold compares with the hash of the code an agent presents.
 *
 * @param accountId the owner; every instance registered with this activation belongs to it (null in no-auth mode)
 * @param instanceCount how many instances may register with it, 1..1000
 * @param expiresAt creation time + TimeToLiveInHours
 * @param ipAddressRange the CIDR block or single address registrations must come from; null = any
 */
public record ActivationCreated(
        String eventId,
        String activationId,
        Instant occurredAt,
        String accountId,
        RegionId regionId,
        String instanceName,
        int instanceCount,
        Instant expiresAt,
        String ipAddressRange,
        String description,
        String codeHash,
        Caller caller)
        implements RegistryEvent {

    public ActivationCreated {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(codeHash, "codeHash");
    }
}
