package io.stopplane.gateway.delivery;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the gateway takes from {@code invocation-state}: which targets are final (however they got there: a report
 * through another gateway, the dispatcher's timeout or abort), so their commands are dropped. Only the ids and statuses
 * are read from each state; the command, outputs and the rest are skipped by the parser.
 */
final class FinalStatuses {

    /** The part of an {@code InvocationState} the gateway reads. */
    record StateStatuses(InvokeId invokeId, List<TargetStatus> instances) {
    }

    record TargetStatus(InstanceId instanceId, InstanceStatus status, Instant updateTime) {
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
        // Until the feed has read its backlog, a final state may come before the command it ends: remember it then.
        boolean early = !feedCaughtUp.getAsBoolean();
        Instant horizon = clock.instant().minus(window);
        for (TargetStatus t : state.instances()) {
            if (t.instanceId() != null && t.status() != null && t.status().isTerminal()) {
                Instant at = t.updateTime() == null ? clock.instant() : t.updateTime();
                pending.markFinal(state.invokeId(), t.instanceId(), at, early && at.isAfter(horizon));
            }
        }
    }
}
