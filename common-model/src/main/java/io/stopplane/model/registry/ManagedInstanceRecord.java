package io.stopplane.model.registry;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered (managed) instance: who owns it and the public key its agent must prove on every connection. The
 * instance id and the account come from here, never from what an agent says.
 */
public record ManagedInstanceRecord(
        InstanceId instanceId,
        String activationId,
        String accountId,
        RegionId regionId,
        String instanceName,
        String publicKey,
        String keyAlgorithm,
        String hostname,
        String osType,
        String agentVersion,
        String ipAddress,
        Instant registrationTime,
        boolean deregistered,
        Instant deregistrationTime,
        long version)
        implements RegistryRecord {

    public ManagedInstanceRecord {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(registrationTime, "registrationTime");
    }

    @Override
    public String key() {
        return RegistryKeys.instance(instanceId);
    }
}
