package io.stopplane.model.event;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent's report on one instance's run: {@code Running} when it started, then the outcome.
 *
 * @param output the captured output, at most 24 KB; {@code dropped} counts the bytes cut
 * @param reportedBy stamped by the agent gateway that checked and wrote the report (then {@code occurredAt} is the
 *     gateway's receive time, not the agent's clock); null on reports written before the gateway existed
 * @param run the run of a scheduled invocation reported on (as its {@code RunCommand} numbered it); null for a
 *     run-once invocation, and for the acknowledgement of a stop that found no run of a schedule in progress
 */
public record InstanceStatusReported(
        String eventId,
        InvokeId invokeId,
        Instant occurredAt,
        InstanceId instanceId,
        InstanceStatus status,
        Integer exitCode,
        String errorCode,
        String errorInfo,
        String output,
        long dropped,
        Reporter reportedBy,
        Integer run)
        implements InvocationEvent {

    public InstanceStatusReported {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(status, "status");
    }

    /** A report on a run-once invocation. */
    public InstanceStatusReported(String eventId, InvokeId invokeId, Instant occurredAt, InstanceId instanceId,
            InstanceStatus status, Integer exitCode, String errorCode, String errorInfo, String output, long dropped,
            Reporter reportedBy) {
        this(eventId, invokeId, occurredAt, instanceId, status, exitCode, errorCode, errorInfo, output, dropped,
                reportedBy, null);
    }

    /** A report without a gateway's stamp (tests, tools, events written before the gateway existed). */
    public InstanceStatusReported(String eventId, InvokeId invokeId, Instant occurredAt, InstanceId instanceId,
            InstanceStatus status, Integer exitCode, String errorCode, String errorInfo, String output, long dropped) {
        this(eventId, invokeId, occurredAt, instanceId, status, exitCode, errorCode, errorInfo, output, dropped, null,
                null);
    }
}
