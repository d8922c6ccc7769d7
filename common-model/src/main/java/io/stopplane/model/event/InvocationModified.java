package io.stopplane.model.event;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ModifyInvocationAttribute was accepted for a live scheduled invocation ({@code Period}, {@code NextRebootOnly},
 * {@code EveryReboot}): from the next run on, its targets run the new content, parameters and Frequency, and the added
 * instances join it as {@code Scheduled}; a run issued before it is not touched. Every field left null is unchanged.
 * Modifications apply in the log's order: the last one wins.
 *
 * @param commandContent the new content as the command runs it (plain text, the API decoded the caller's Base64); a
 *     template when the invocation has parameters
 * @param parameters the new values of the command's custom parameters (all of them: they replace the old ones)
 * @param frequency the new Frequency as the caller wrote it (Period only); the schedule's runs then count from
 *     {@code occurredAt}
 * @param zone with {@code frequency}: the zone a cron without one runs in, fixed as the API accepted it
 * @param addedInstanceIds instances that join the invocation (InstanceId.N); one that already is a target is ignored
 * @param revision the revision this modification makes of the schedule as the API read it (its revision + 1); the
 *     fold numbers revisions in the log's order (the schedule's + 1), so of two modifications that raced from one
 *     read the later gets the next number and wins
 */
public record InvocationModified(
        String eventId,
        InvokeId invokeId,
        Instant occurredAt,
        String commandContent,
        Map<String, String> parameters,
        String frequency,
        String zone,
        List<InstanceId> addedInstanceIds,
        int revision,
        Caller caller)
        implements InvocationEvent {

    public InvocationModified {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        parameters = parameters == null ? null : Map.copyOf(parameters);
        addedInstanceIds = addedInstanceIds == null ? List.of() : List.copyOf(addedInstanceIds);
        if (frequency != null && zone == null) {
            throw new IllegalArgumentException("a new Frequency comes with the zone of a cron without one");
        }
        if (revision < 1) {
            throw new IllegalArgumentException("a modification makes revision 1 or later: " + revision);
        }
    }
}
