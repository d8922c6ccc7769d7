package io.stopplane.dispatcher.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fold's meters: events folded by type, invocations finished by status, timers fired, the unfinished invocations
 * by status (counted by each task on its timer scan, summed over the tasks this instance runs), and the stop latency.
 */
final class FoldMetrics {

    private final MeterRegistry registry;
    private final Map<String, Map<InvocationStatus, Long>> activeByTask = new ConcurrentHashMap<>();
    private final Map<InstanceStatus, Timer> stopLatency = new EnumMap<>(InstanceStatus.class);

    FoldMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (InvocationStatus status : InvocationStatus.values()) {
            if (!status.isFinal()) {
                Gauge.builder("stopplane.invocations.active", () -> active(status))
                        .description("unfinished invocations on this dispatcher's partitions, by overall status")
                        .tag("status", status.wireName()).register(registry);
            }
        }
        for (InstanceStatus status : InstanceStatus.values()) {
            if (status.isStopped()) {
                stopLatency.put(status, Timer.builder("stopplane.stop.latency")
                        .description("StopInvocation accepted (the target's StopTime) to the target reported stopped")
                        .tag("status", status.wireName())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(10))
                        .maximumExpectedValue(Duration.ofMinutes(10))
                        .register(registry));
            }
        }
    }

    void folded(InvocationEvent event) {
        Counter.builder("stopplane.events.folded").description("events applied to invocation state")
                .tag("type", event.getClass().getSimpleName()).register(registry).increment();
    }

    /** A finished invocation past its retention, tombstoned. */
    void expired() {
        Counter.builder("stopplane.invocations.expired")
                .description("finished invocations past their retention, tombstoned in invocation-state and -outputs")
                .register(registry).increment();
    }

    void finished(InvocationStatus status) {
        Counter.builder("stopplane.invocations.finished").description("invocations that reached a final status")
                .tag("status", status.wireName()).register(registry).increment();
    }

    /**
     * A target that was Stopping reported {@code status} (Cancelled or Terminated): {@code latency} from its StopTime (the
     * API's clock) to the report (the agent's); a skew that makes it negative counts as zero.
     */
    void stopped(InstanceStatus status, Duration latency) {
        Timer timer = stopLatency.get(status);
        if (timer != null) {
            timer.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    void timerFired(TimeoutDetected timer) {
        Counter.builder("stopplane.timers.fired").description("dispatcher deadlines that passed")
                .tag("kind", timer.kind().wireName()).register(registry).increment();
    }

    /** A scheduled invocation's run sent to its target. */
    void runIssued() {
        Counter.builder("stopplane.schedule.runs.issued")
                .description("runs of scheduled invocations the dispatcher sent to instance-commands")
                .register(registry).increment();
    }

    void active(String task, Map<InvocationStatus, Long> counts) {
        activeByTask.put(task, new EnumMap<>(counts));
    }

    void closed(String task) {
        activeByTask.remove(task);
    }

    private double active(InvocationStatus status) {
        return activeByTask.values().stream().mapToLong(m -> m.getOrDefault(status, 0L)).sum();
    }
}
