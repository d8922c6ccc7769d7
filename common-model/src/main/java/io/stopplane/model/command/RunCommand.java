package io.stopplane.model.command;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.Objects;

/** Run {@code command} on one instance. */
public record RunCommand(
        String commandEventId, InvokeId invokeId, InstanceId instanceId, Instant issuedAt, CommandSpec command)
        implements InstanceCommand {

    public RunCommand {
        Objects.requireNonNull(commandEventId, "commandEventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(command, "command");
    }
}
