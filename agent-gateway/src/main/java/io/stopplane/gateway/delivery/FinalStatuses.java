package io.stopplane.gateway.delivery;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the gateway takes from {@code invocation-state}: which targets are final (however they got there: a report
 * through another gateway, the dispatcher's timeout or abort), so their commands are dropped. Only the ids and statuses
 * are read from each record; the command, outputs and the rest are skipped by the parser. A target record (key
 * {@code invokeId/instanceId}, docs/events.md) holds its one target: it is taken alone, nothing is assembled.
 */
final class FinalStatuses {

    /** The part of an {@code InvocationState} the gateway reads. */
    record StateStatuses(InvokeId invokeId, List<TargetStatus> instances) {
    }

    record TargetStatus(InstanceId instanceId, InstanceStatus status, Instant updateTime) {
    }

    /** The part of an {@code InvocationTarget} the gateway reads. */
    record TargetRecord(TargetStatus instance) {
    }

    private final Pending pending;
    private final BooleanSupplier feedCaughtUp;
    private final Duration window;
    private final Clock clock;

    /**
     * @param window how far back the command feed reads: a final state older than that cannot meet a command still to
     *     be read, so it is not remembered
     */
    FinalStatuses(Pending pending, BooleanSupplier feedCaughtUp, Duration window, Clock clock) {
        this.pending = pending;
        this.feedCaughtUp = feedCaughtUp;
        this.window = window;
        this.clock = clock;
    }

    void apply(StateStatuses state) {
        if (state.instances() == null) {
            return;
        }
        for (TargetStatus t : state.instances()) {
            apply(state.invokeId(), t);
        }
    }

    /** A target record, under {@code key} ({@code invokeId/instanceId}). */
    void apply(String key, TargetRecord record) {
        String invokeId = InvocationState.invokeIdOf(key);
        if (record.instance() != null && InvokeId.isValid(invokeId)) {
            apply(InvokeId.of(invokeId), record.instance());
        }
    }

    private void apply(InvokeId invokeId, TargetStatus t) {
        if (invokeId == null || t.instanceId() == null || t.status() == null || !t.status().isTerminal()) {
            return;
        }
        // Until the feed has read its backlog, a final state may come before the command it ends: remember it then.
        boolean early = !feedCaughtUp.getAsBoolean();
        Instant at = t.updateTime() == null ? clock.instant() : t.updateTime();
        pending.markFinal(invokeId, t.instanceId(), at, early && at.isAfter(clock.instant().minus(window)));
    }
}
