package io.stopplane.model.event;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** RunCommand created an invocation of {@code command} on {@code instanceIds}. */
public record InvocationCreated(
        String eventId,
        InvokeId invokeId,
        Instant occurredAt,
        RegionId regionId,
        CommandSpec command,
        List<InstanceId> instanceIds,
        Caller caller)
        implements InvocationEvent {

    public InvocationCreated {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(regionId, "regionId");
        Objects.requireNonNull(command, "command");
        instanceIds = List.copyOf(instanceIds);
        if (instanceIds.isEmpty()) {
            throw new IllegalArgumentException("an invocation needs at least one instance");
        }
    }
}
