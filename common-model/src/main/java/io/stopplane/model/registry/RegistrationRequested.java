package io.stopplane.model.registry;

import io.stopplane.model.id.InstanceId;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent asked a gateway to register an instance with an activation. The gateway proposes the instance id (random,
 * {@code mi-…}) and states where the request came from; the registry fold accepts or refuses it (wrong code, expired,
 * disabled, deleted, used up, address out of range) and says so in a {@link RegistrationOutcome}.
 *
 * @param requestId the gateway's id for the request, the key of its outcome
 * @param codeHash SHA-256 (lower-case hex) of the activation code the agent presented
 * @param publicKey the key pair's public half the agent generated (X.509 SubjectPublicKeyInfo, base64): every later
 *     connection proves possession of the private half
 * @param remoteAddress the address the gateway saw the request come from (checked against the activation's range)
 * @param hostname what the agent says its host is called: informational only
 */
public record RegistrationRequested(
        String eventId,
        String activationId,
        Instant occurredAt,
        String requestId,
        InstanceId instanceId,
        String codeHash,
        String publicKey,
        String keyAlgorithm,
        String remoteAddress,
        String hostname,
        String osType,
        String agentVersion,
        String gatewayId)
        implements RegistryEvent {

    public RegistrationRequested {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
