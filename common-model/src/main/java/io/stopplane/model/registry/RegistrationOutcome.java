package io.stopplane.model.registry;

import io.stopplane.model.id.InstanceId;
import java.time.Instant;
import java.util.Objects;

/**
 * The fold's verdict on one {@link RegistrationRequested}: the registered instance, or the refusal's code and message
 * (an Alibaba-style code such as {@code InvalidActivationCode}). The gateway that asked waits for it to answer the agent.
 */
public record RegistrationOutcome(
        String requestId, String activationId, InstanceId instanceId, String errorCode, String errorMessage,
        Instant at)
        implements RegistryRecord {

    public RegistrationOutcome {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
    }

    public boolean accepted() {
        return errorCode == null;
    }

    @Override
    public String key() {
        return RegistryKeys.registration(requestId);
    }
}
