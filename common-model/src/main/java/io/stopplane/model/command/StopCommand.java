package io.stopplane.model.command;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.Objects;

/**
 * Stop the run of {@code invokeId} on one instance: cancel it if not started, kill its process tree if running.
 *
 * @param graceSeconds how long the process tree gets between SIGTERM and SIGKILL for this stop; null = the agent's
 *     configured grace period
 */
public record StopCommand(
        String commandEventId, InvokeId invokeId, InstanceId instanceId, Instant issuedAt, String requestId,
        Integer graceSeconds)
        implements InstanceCommand {

    public StopCommand {
        Objects.requireNonNull(commandEventId, "commandEventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (graceSeconds != null && graceSeconds < 0) {
            throw new IllegalArgumentException("graceSeconds must not be negative: " + graceSeconds);
        }
    }

    /** A stop with the agent's configured grace period. */
    public StopCommand(String commandEventId, InvokeId invokeId, InstanceId instanceId, Instant issuedAt,
            String requestId) {
        this(commandEventId, invokeId, instanceId, issuedAt, requestId, null);
    }
}
