package io.stopplane.model.state;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure fold {@code state = apply(state, event)} of {@code invocation-events} into invocation state. The dispatcher
 * runs it exactly once per event; audit replays run the same code. It never throws on a legal event stream: late,
 * duplicated or illegal reports are logged and leave the state as it was.
 */
public final class InvocationFold {

    private static final Logger LOG = LoggerFactory.getLogger(InvocationFold.class);

    private InvocationFold() {
    }

    /** Returns the next state; {@code state} may be null (no event seen yet), and so may the result. */
    public static InvocationState apply(InvocationState state, InvocationEvent event) {
        if (state != null && !state.invokeId().equals(event.invokeId())) {
            LOG.warn("invokeId={} event {} for another invocation ignored", state.invokeId(),
                    event.eventId());
            return state;
        }
        InvocationState next = fold(state, event);
        return state != null && next != null && next != state ? next.withVersion(state.version() + 1) : next;
    }

    private static InvocationState fold(InvocationState state, InvocationEvent event) {
        if (event instanceof InvocationCreated created) {
            return created(state, created);
        }
        if (event instanceof StopRequested stop) {
            return stopRequested(state, stop);
        }
        if (event instanceof InstanceStatusReported report) {
            return reported(state, report);
        }
        if (event instanceof InvocationModified modified) {
            return ScheduledFold.modified(state, modified);
        }
        return timedOut(state, (TimeoutDetected) event);
    }

    private static InvocationState timedOut(InvocationState state, TimeoutDetected e) {
        InstanceState current = state == null ? null : state.instance(e.instanceId()).orElse(null);
        if (current == null) {
            return state;
        }
        if (state.schedule() != null && e.kind() != TimeoutDetected.Kind.STOP) {
            return ScheduledFold.timedOut(state, current, e);
        }
        InstanceStatus from = current.status();
        InstanceStatus to = switch (e.kind()) {
            case DELIVERY -> from == InstanceStatus.PENDING ? InstanceStatus.ABORTED : null;
            case EXECUTION -> from == InstanceStatus.RUNNING ? InstanceStatus.ERROR : null;
            case STOP -> from == InstanceStatus.STOPPING ? InstanceStatus.STOPPING : null;
            case RUN, SCHEDULE_END, BOOT -> null; // a run-once invocation has no schedule
        };
        if (to == null) {
            LOG.debug("invokeId={} instanceId={} {} timer while {} ignored", e.invokeId(),
                    e.instanceId(), e.kind(), from.wireName());
            return state;
        }
        if (to == InstanceStatus.STOPPING) {
            if (Objects.equals(current.errorInfo(), e.errorInfo())) {
                return state;
            }
            // Still Stopping: the agent is gone, the stop waits in its backlog and completes when it returns.
            return state.withInstance(current.withError(e.errorCode(), e.errorInfo(), e.occurredAt()), e.occurredAt());
        }
        logTransition(e.invokeId().value(), e.instanceId(), from, to);
        InstanceState next = current.withStatus(from.transitionTo(to), e.occurredAt())
                .withOutcome(null, e.errorCode(), e.errorInfo(), current.output(), current.dropped(), e.occurredAt());
        return state.withInstance(next, e.occurredAt());
    }

    private static InvocationState created(InvocationState state, InvocationCreated e) {
        if (state != null) {
            LOG.debug("invokeId={} duplicate InvocationCreated {} ignored", e.invokeId(), e.eventId());
            return state;
        }
        List<InstanceState> instances = e.instanceIds().stream().distinct()
                .map(id -> e.schedule() == null ? InstanceState.pending(id, e.occurredAt())
                        : InstanceState.scheduled(id, e.occurredAt()))
                .toList();
        return new InvocationState(e.invokeId(), e.regionId(), e.command(), e.occurredAt(), e.occurredAt(), instances,
                1, e.clientToken(), e.parametersDigest(), e.caller() == null ? null : e.caller().accountId(),
                e.schedule(), e.parameters());
    }

    private static InvocationState stopRequested(InvocationState state, StopRequested e) {
        if (state == null) {
            LOG.warn("invokeId={} StopRequested for an unknown invocation ignored", e.invokeId());
            return null;
        }
        List<InstanceId> targets = e.instanceIds().isEmpty()
                ? state.instances().stream().map(InstanceState::instanceId).toList()
                : e.instanceIds();
        InvocationState next = state;
        for (InstanceId id : targets) {
            InstanceState current = next.instance(id).orElse(null);
            if (current == null || !current.status().canTransitionTo(InstanceStatus.STOPPING)) {
                continue; // terminal or already stopping: stopping is idempotent
            }
            logTransition(e.invokeId().value(), id, current.status(), InstanceStatus.STOPPING);
            next = next.withInstance(
                    current.withStatus(InstanceStatus.STOPPING, e.occurredAt()).withStopTime(e.occurredAt()),
                    e.occurredAt());
        }
        return next;
    }

    private static InvocationState reported(InvocationState state, InstanceStatusReported e) {
        if (state == null) {
            LOG.warn("invokeId={} instanceId={} report for an unknown invocation ignored",
                    e.invokeId(), e.instanceId());
            return null;
        }
        InstanceState current = state.instance(e.instanceId()).orElse(null);
        if (current == null) {
            LOG.warn("invokeId={} instanceId={} report for an instance that is not a target ignored",
                    e.invokeId(), e.instanceId());
            return state;
        }
        if (state.schedule() != null) {
            return ScheduledFold.reported(state, current, e);
        }
        InstanceStatus from = current.status();
        InstanceStatus to = e.status();
        if (from.isTerminal() || from == to) {
            LOG.info("invokeId={} instanceId={} late or duplicate report {} while {} ignored",
                    e.invokeId(), e.instanceId(), to.wireName(), from.wireName());
            return state;
        }
        if (from == InstanceStatus.STOPPING && to == InstanceStatus.RUNNING) {
            if (current.startTime() != null && !e.occurredAt().isAfter(current.startTime())) {
                LOG.info("invokeId={} instanceId={} late or duplicate report Running while Stopping "
                        + "ignored", e.invokeId(), e.instanceId());
                return state;
            }
            // The agent started it before it read the stop; the stop is still on its way.
            return state.withInstance(current.withStartTime(e.occurredAt()), e.occurredAt());
        }
        InstanceState next = current;
        if (!from.canTransitionTo(to)) {
            // A report may skip a status the log never carried (e.g. a stop acknowledged as Cancelled).
            InstanceStatus via = to.isStopped() ? InstanceStatus.STOPPING : InstanceStatus.RUNNING;
            if (!from.canTransitionTo(via) || !via.canTransitionTo(to)) {
                LOG.warn("invokeId={} instanceId={} Invalid transition from {} to {} ignored",
                        e.invokeId(), e.instanceId(), from.wireName(), to.wireName());
                return state;
            }
            logTransition(e.invokeId().value(), e.instanceId(), from, via);
            next = via == InstanceStatus.STOPPING
                    ? next.withStatus(from.transitionTo(via), e.occurredAt()).withStopTime(e.occurredAt())
                    : next.withStatus(from.transitionTo(via), e.occurredAt()).withStartTime(e.occurredAt());
        }
        logTransition(e.invokeId().value(), e.instanceId(), next.status(), to);
        next = next.withStatus(next.status().transitionTo(to), e.occurredAt());
        if (to == InstanceStatus.RUNNING) {
            next = next.withStartTime(e.occurredAt());
        } else if (to.isTerminal()) {
            next = next.withOutcome(e.exitCode(), e.errorCode(), e.errorInfo(), e.output(), e.dropped(), e.occurredAt());
        }
        return state.withInstance(next, e.occurredAt());
    }

    static void logTransition(String invokeId, InstanceId instanceId, InstanceStatus from, InstanceStatus to) {
        LOG.debug("invokeId={} instanceId={} {} -> {}", invokeId, instanceId, from.wireName(),
                to.wireName());
    }
}
