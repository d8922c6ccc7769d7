package io.stopplane.api.view;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InvocationStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code stopplane.api.invocations{status}}: the invocations of this API instance's view by overall status. Counted
 * once per scrape (the gauges of one scrape share a count at most a second old), not on every update of the view.
 */
final class ViewMetrics {

    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final InvocationView view;
    private Map<InvocationStatus, Long> counts = new EnumMap<>(InvocationStatus.class);
    private long countedAt;
    private boolean counted;

    ViewMetrics(InvocationView view, MeterRegistry registry) {
        this.view = view;
        for (InvocationStatus status : InvocationStatus.values()) {
            Gauge.builder("stopplane.api.invocations", this, m -> m.count(status))
                    .description("invocations in this api-service's view of invocation-state, by overall status")
                    .tag("status", status.wireName())
                    .register(registry);
        }
        Gauge.builder("stopplane.api.view.pending.stops", view, InvocationView::pendingStops)
                .description("invocations showing a stop of this api-service that the dispatcher's state does not "
                        + "include yet; it falls back to zero as the dispatcher folds them")
                .register(registry);
    }

    private synchronized double count(InvocationStatus status) {
        long now = System.nanoTime();
        if (!counted || now - countedAt > MAX_AGE_NANOS) {
            Map<InvocationStatus, Long> next = new EnumMap<>(InvocationStatus.class);
            for (InvocationState state : view.all()) {
                next.merge(state.invocationStatus(), 1L, Long::sum);
            }
            counts = next;
            countedAt = now;
            counted = true;
        }
        return counts.getOrDefault(status, 0L);
    }
}
