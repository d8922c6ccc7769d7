package io.stopplane.audit.timeline;

import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.state.InvocationState;
import java.util.ArrayList;
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

    /**
     * The targets the event names; empty for a stop of all targets. A modification names the instances it adds (it
     * changes what every target runs next: {@link TimelineQuery} takes it as touching each).
     */
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
        if (event instanceof InvocationModified m) {
            return m.addedInstanceIds().stream().map(InstanceId::value).toList();
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
        if (event instanceof InvocationModified m) {
            return m.caller();
        }
        return null;
    }

    /**
     * What the event was about beyond its changes: a timer's kind; the command a creation ran with parameters, and
     * their names (the values are in the event, not printed: they may be anything the caller passes to a script); what a
     * modification changed (the content's text is not printed either), and the revision it was written as.
     */
    String detail() {
        if (event instanceof InvocationModified m) {
            return modified(m);
        }
        if (event instanceof InvocationCreated c && c.parameters() != null) {
            return c.command().commandId().value() + " with parameters "
                    + (c.parameters().isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(c.parameters().keySet())));
        }
        if (event instanceof TimeoutDetected t) {
            return t.kind().wireName() + " timeout" + (t.revision() == null || t.revision() == 0 ? ""
                    : " (revision " + t.revision() + ")");
        }
        return null;
    }

    private static String modified(InvocationModified m) {
        List<String> what = new ArrayList<>();
        if (m.commandContent() != null) {
            what.add("content");
        }
        if (m.frequency() != null) {
            what.add("Frequency " + m.frequency());
        }
        if (m.parameters() != null) {
            what.add("parameters " + (m.parameters().isEmpty() ? "(none)"
                    : String.join(", ", new TreeSet<>(m.parameters().keySet()))));
        }
        if (!m.addedInstanceIds().isEmpty()) {
            what.add(m.addedInstanceIds().size() + " instance(s) added");
        }
        return "revision " + m.revision() + ": " + String.join(", ", what);
    }
}
