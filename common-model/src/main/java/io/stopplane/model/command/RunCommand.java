package io.stopplane.model.command;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.Objects;

/**
 * Run {@code command} on one instance.
 *
 * @param run which run of a scheduled invocation this is (1, 2, …; the dispatcher issues them), null for the one run
 *     of a run-once invocation: each run is a task of its own to the agent, and its reports carry the number
 */
public record RunCommand(
        String commandEventId, InvokeId invokeId, InstanceId instanceId, Instant issuedAt, CommandSpec command,
        Integer run)
        implements InstanceCommand {

    /** The run of a run-once invocation. */
    public RunCommand(String commandEventId, InvokeId invokeId, InstanceId instanceId, Instant issuedAt,
            CommandSpec command) {
        this(commandEventId, invokeId, instanceId, issuedAt, command, null);
    }

    public RunCommand {
        Objects.requireNonNull(commandEventId, "commandEventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(command, "command");
        if (run != null && run < 1) {
            throw new IllegalArgumentException("run must be at least 1: " + run);
        }
    }
}
