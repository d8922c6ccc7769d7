package io.stopplane.model.command;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.Objects;

/** Stop the run of {@code invokeId} on one instance: cancel it if not started, kill its process tree if running. */
public record StopCommand(
        String commandEventId, InvokeId invokeId, InstanceId instanceId, Instant issuedAt, String requestId)
        implements InstanceCommand {

    public StopCommand {
        Objects.requireNonNull(commandEventId, "commandEventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
