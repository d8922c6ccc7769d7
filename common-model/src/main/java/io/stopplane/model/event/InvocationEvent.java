package io.stopplane.model.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;

/** An event on {@code invocation-events}, keyed by invoke id: the append-only audit log and the source of truth. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = InvocationCreated.class, name = "InvocationCreated"),
    @JsonSubTypes.Type(value = StopRequested.class, name = "StopRequested"),
    @JsonSubTypes.Type(value = InstanceStatusReported.class, name = "InstanceStatusReported"),
    @JsonSubTypes.Type(value = TimeoutDetected.class, name = "TimeoutDetected"),
    @JsonSubTypes.Type(value = InvocationModified.class, name = "InvocationModified")
})
public sealed interface InvocationEvent permits InvocationCreated, StopRequested, InstanceStatusReported,
        TimeoutDetected, InvocationModified {

    String eventId();

    InvokeId invokeId();

    Instant occurredAt();
}
