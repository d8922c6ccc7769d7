package io.stopplane.model.registry;

import io.stopplane.model.id.RegionId;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest state of an activation, as DescribeActivations shows it. Deleted activations are tombstoned.
 *
 * @param registeredCount instances registered with it so far (deregistered ones included: a code's uses never come back)
 * @param deregisteredCount of those, how many were deregistered
 */
public record ActivationRecord(
        String activationId,
        String accountId,
        RegionId regionId,
        String instanceName,
        int instanceCount,
        int registeredCount,
        int deregisteredCount,
        Instant creationTime,
        Instant expiresAt,
        String ipAddressRange,
        String description,
        String codeHash,
        boolean disabled,
        long version)
        implements RegistryRecord {

    public ActivationRecord {
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(creationTime, "creationTime");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String key() {
        return RegistryKeys.activation(activationId);
    }
}
