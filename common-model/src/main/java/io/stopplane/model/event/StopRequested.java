package io.stopplane.model.event;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** StopInvocation was accepted for {@code instanceIds} (all targets of the invocation when the caller named none). */
public record StopRequested(
        String eventId, InvokeId invokeId, Instant occurredAt, List<InstanceId> instanceIds, Caller caller)
        implements InvocationEvent {

    public StopRequested {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        instanceIds = List.copyOf(instanceIds);
    }
}
