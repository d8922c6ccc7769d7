package io.stopplane.audit.timeline;

import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.state.InvocationState;
import java.util.List;
import java.util.TreeSet;

/**
 * One line of a timeline: the event, where it sits in the log, and what it changed.
 *
 * @param ignored the fold left the state as it was: a late, duplicate or illegal event
 * @param raw the record value as written, for {@code --format json}; null otherwise
 */
record TimelineEntry(int partition, long offset, InvocationEvent event, List<StatusChange> changes,
        String statusFrom, String statusTo, boolean ignored, String raw) {

    static TimelineEntry of(int partition, long offset, InvocationEvent event, InvocationState before,
            InvocationState after, String raw) {
        return new TimelineEntry(partition, offset, event, StatusChange.between(before, after, event),
                before == null ? null : before.invocationStatus().wireName(),
                after == null ? null : after.invocationStatus().wireName(),
                before != null && after == before, raw);
    }

    String type() {
        return EventTypes.of(event);
    }

    List<String> instanceIds() {
        return instanceIds(event);
    }

    Caller caller() {
        return caller(event);
    }

    /** The targets the event names; empty for a stop of all targets. */
    static List<String> instanceIds(InvocationEvent event) {
        if (event instanceof InvocationCreated c) {
            return c.instanceIds().stream().map(InstanceId::value).toList();
        }
        if (event instanceof StopRequested s) {
            return s.instanceIds().stream().map(InstanceId::value).toList();
        }
        if (event instanceof InstanceStatusReported r) {
            return List.of(r.instanceId().value());
        }
        return List.of(((TimeoutDetected) event).instanceId().value());
    }

    /** The API caller behind the event; null for agents' reports and the dispatcher's timers. */
    static Caller caller(InvocationEvent event) {
        if (event instanceof InvocationCreated c) {
            return c.caller();
        }
        if (event instanceof StopRequested s) {
            return s.caller();
        }
        return null;
    }

    /**
     * What the event was about beyond its changes: a timer's kind; the command a creation ran with parameters, and
     * their names (the values are in the event, not printed: they may be anything the caller passes to a script).
     */
    String detail() {
        if (event instanceof InvocationCreated c && c.parameters() != null) {
            return c.command().commandId().value() + " with parameters "
                    + (c.parameters().isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(c.parameters().keySet())));
        }
        return event instanceof TimeoutDetected t ? t.kind().wireName() + " timeout" : null;
    }
}
