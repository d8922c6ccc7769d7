package io.stopplane.audit.timeline;

import io.stopplane.audit.output.Format;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which events a timeline shows; every filter is optional and they combine with AND.
 *
 * @param since the first event time shown (inclusive)
 * @param until the end of the window (exclusive)
 * @param account the caller's account, or the account that owns the invocation: what an account did and what happened
 *     to what it owns
 * @param types logical event type names; empty for all
 */
public record TimelineQuery(String invokeId, String instanceId, String account, Instant since, Instant until,
        Set<String> types, Format format) {

    public TimelineQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        format = format == null ? Format.TABLE : format;
    }

    boolean matches(InvocationEvent e, InvocationState before, InvocationState after) {
        if (since != null && e.occurredAt().isBefore(since)) {
            return false;
        }
        if (until != null && !e.occurredAt().isBefore(until)) {
            return false;
        }
        if (!types.isEmpty() && !types.contains(EventTypes.of(e))) {
            return false;
        }
        if (instanceId != null && !touches(e, after == null ? before : after)) {
            return false;
        }
        return account == null || account.equals(callerAccount(e)) || account.equals(owner(before, after));
    }

    private boolean touches(InvocationEvent e, InvocationState state) {
        List<String> named = TimelineEntry.instanceIds(e);
        if (named.contains(instanceId)) {
            return true;
        }
        // a stop that names no instance stops all the invocation's targets; a modification changes what each runs
        return (named.isEmpty() || e instanceof InvocationModified) && state != null
                && state.instances().stream().map(InstanceState::instanceId).anyMatch(i -> i.value().equals(instanceId));
    }

    private static String callerAccount(InvocationEvent e) {
        Caller c = TimelineEntry.caller(e);
        return c == null ? null : c.accountId();
    }

    private static String owner(InvocationState before, InvocationState after) {
        InvocationState s = after != null ? after : before;
        return s == null ? null : s.ownerAccountId();
    }
}
