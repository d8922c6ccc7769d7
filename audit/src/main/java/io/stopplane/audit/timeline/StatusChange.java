package io.stopplane.audit.timeline;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one event did to one target. {@code from} is null when the event created the target, and {@value #UNKNOWN} when
 * the replay did not see the invocation's earlier events (it was created before {@code --since}); {@code exitCode} and
 * {@code errorCode} are what the target carries after the event.
 */
record StatusChange(String instanceId, String from, String to, Integer exitCode, String errorCode) {

    static final String UNKNOWN = "?";

    /** The targets whose status or error this event changed, as the fold saw it. */
    static List<StatusChange> between(InvocationState before, InvocationState after, InvocationEvent event) {
        List<StatusChange> changes = new ArrayList<>();
        if (after == null) {
            return intended(event);
        }
        if (after == before) {
            return changes;
        }
        for (InstanceState now : after.instances()) {
            InstanceState then = before == null ? null : before.instance(now.instanceId()).orElse(null);
            boolean statusChanged = then == null || then.status() != now.status();
            boolean errorChanged = then != null && !Objects.equals(then.errorCode(), now.errorCode());
            if (statusChanged || errorChanged) {
                changes.add(new StatusChange(now.instanceId().value(), then == null ? null : then.status().wireName(),
                        now.status().wireName(), now.exitCode(), now.errorCode()));
            }
        }
        return changes;
    }

    /** Without the invocation's earlier events, what the event itself says. */
    private static List<StatusChange> intended(InvocationEvent event) {
        if (event instanceof InstanceStatusReported r) {
            return List.of(new StatusChange(r.instanceId().value(), UNKNOWN, r.status().wireName(), r.exitCode(),
                    r.errorCode()));
        }
        if (event instanceof StopRequested s) {
            return s.instanceIds().stream()
                    .map(i -> new StatusChange(i.value(), UNKNOWN, "Stopping", null, null)).toList();
        }
        if (event instanceof InvocationModified m) {
            return m.addedInstanceIds().stream()
                    .map(i -> new StatusChange(i.value(), null, "Scheduled", null, null)).toList();
        }
        if (event instanceof TimeoutDetected t) {
            String to = switch (t.kind()) {
                case DELIVERY -> "Aborted";
                case EXECUTION -> "Error";
                case STOP -> "Stopping";
                case RUN -> "Scheduled";
                case SCHEDULE_END -> "Success|Failed";
                case BOOT -> "Scheduled";
            };
            return List.of(new StatusChange(t.instanceId().value(), UNKNOWN, to, null, t.errorCode()));
        }
        return List.of();
    }

    String text() {
        StringBuilder sb = new StringBuilder(instanceId).append(' ');
        sb.append(from == null ? "" : from + "->").append(to);
        if (exitCode != null || errorCode != null) {
            sb.append(" (");
            if (exitCode != null) {
                sb.append("exit ").append(exitCode).append(errorCode == null ? "" : ", ");
            }
            sb.append(errorCode == null ? "" : errorCode).append(')');
        }
        return sb.toString();
    }
}
