package io.stopplane.model.state;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold of a scheduled invocation's reports and timers, per target: Scheduled, then for each run the dispatcher
 * issues ({@link TimeoutDetected.Kind#RUN}) Running and back to Scheduled, until a stop (Stopping, then Cancelled or
 * Terminated) or the schedule's end ({@link TimeoutDetected.Kind#SCHEDULE_END}: Success or Failed, by the last run).
 * Every report and timer names its run; one about another run than the latest issued is late and changes nothing, so a
 * run is counted once however often it is reported. Decides nothing from a clock: when a run is due is the timers'.
 * A reboot-mode target ({@code NextRebootOnly}, {@code EveryReboot}) records its instance's boot id
 * ({@link TimeoutDetected.Kind#BOOT}) and each of its runs is issued for a boot id other than the recorded one, which it
 * then records; NextRebootOnly's single run done, its end is a ScheduleEnd as for a schedule that ran out.
 * A modification ({@link InvocationModified}) makes a new revision of the schedule: the runs issued after it run the new
 * content, parameters and Frequency, added instances wait {@code Scheduled}, a run already issued is not touched, and
 * a Run or ScheduleEnd timer armed for an older revision changes nothing (the timers arm it again for the new one).
 */
final class ScheduledFold {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledFold.class);

    private ScheduledFold() {
    }

    static InvocationState reported(InvocationState state, InstanceState current, InstanceStatusReported e) {
        InstanceStatus from = current.status();
        InstanceStatus to = e.status();
        if (from.isTerminal()) {
            return ignored(state, e, "the schedule is over");
        }
        if (e.run() == null) {
            // The acknowledgement of a stop that found no run in progress: the latest run's outcome stays shown.
            if (from != InstanceStatus.STOPPING || !to.isStopped()) {
                return ignored(state, e, "a report without a run");
            }
            return state.withInstance(end(state, current, to, e.occurredAt()), e.occurredAt());
        }
        if (!e.run().equals(current.run())) {
            return ignored(state, e, "about run " + e.run() + " while the latest is " + current.run());
        }
        InstanceState next;
        if (to == InstanceStatus.RUNNING) {
            if (!current.delivering()) {
                return ignored(state, e, "a run already started");
            }
            next = current.withRunStarted(e.occurredAt());
            if (from == InstanceStatus.SCHEDULED) {
                next = moved(next, from, InstanceStatus.RUNNING, e);
            }
        } else if (from == InstanceStatus.STOPPING && to.isStopped()) {
            next = outcome(current, e).withStatus(from.transitionTo(to), e.occurredAt());
        } else if (from == InstanceStatus.RUNNING || current.delivering()
                || (from == InstanceStatus.STOPPING && current.startTime() != null && current.finishTime() == null)) {
            // The run ended, or will not start: its outcome is the target's, the target waits for the next run (a
            // stop in progress keeps it Stopping: the stop's acknowledgement ends the target).
            next = outcome(current, e).withoutRunWaiting();
            if (from == InstanceStatus.RUNNING) {
                next = moved(next, from, InstanceStatus.SCHEDULED, e);
            }
        } else {
            return ignored(state, e, "no run in progress");
        }
        return state.withInstance(next, e.occurredAt());
    }

    /**
     * A modification of a live scheduled invocation. One of a run-once invocation, of one that is over or unknown, is
     * ignored (the API refuses those; a modification that raced a schedule's end loses to it), and so is a Frequency
     * given to a reboot mode. The fold numbers the revision: the schedule's + 1, in the log's order.
     */
    static InvocationState modified(InvocationState state, InvocationModified e) {
        if (state == null || state.schedule() == null || state.invocationStatus().isFinal()) {
            LOG.info("invokeId={} modification {} ignored: {}", e.invokeId(), e.eventId(),
                    state == null ? "no such invocation" : state.schedule() == null ? "it runs once" : "it is over");
            return state;
        }
        Schedule schedule = state.schedule();
        int revision = schedule.revision() + 1;
        if (e.revision() != revision) {
            LOG.info("invokeId={} modification {} written as revision {} folds as revision {} (another raced it)",
                    e.invokeId(), e.eventId(), e.revision(), revision);
        }
        String frequency = e.frequency();
        if (frequency != null && schedule.onReboot()) {
            LOG.info("invokeId={} modification {}: a Frequency for {} ignored", e.invokeId(), e.eventId(),
                    schedule.mode().wireName());
            frequency = null;
        }
        CommandSpec command = e.commandContent() == null ? state.command()
                : state.command().withContent(e.commandContent());
        Map<String, String> parameters = e.parameters() == null ? state.parameters() : e.parameters();
        List<InstanceState> instances = new ArrayList<>(state.instances());
        for (InstanceId added : e.addedInstanceIds()) {
            if (instances.stream().noneMatch(i -> i.instanceId().equals(added))) {
                instances.add(InstanceState.scheduled(added, e.occurredAt()));
            }
        }
        return state.modified(command, parameters,
                schedule.modified(frequency, e.zone(), revision, e.occurredAt()), instances, e.occurredAt());
    }

    static InvocationState timedOut(InvocationState state, InstanceState current, TimeoutDetected e) {
        InstanceStatus from = current.status();
        boolean latest = Objects.equals(e.run(), current.run());
        RepeatMode mode = state.schedule().mode();
        if ((e.kind() == TimeoutDetected.Kind.RUN || e.kind() == TimeoutDetected.Kind.SCHEDULE_END)
                && e.armedFor() != state.schedule().revision()) {
            LOG.debug("invokeId={} instanceId={} {} timer armed for revision {} ignored: the schedule is at {}",
                    e.invokeId(), e.instanceId(), e.kind(), e.armedFor(), state.schedule().revision());
            return state;
        }
        InstanceState next = switch (e.kind()) {
            case RUN -> from == InstanceStatus.SCHEDULED && !current.delivering() && e.run() != null
                    && e.run() == (current.run() == null ? 1 : current.run() + 1) && rebooted(mode, current, e)
                    ? current.withRunIssued(e.run(), e.occurredAt()).withBootId(e.bootId(), e.occurredAt()) : null;
            case BOOT -> mode.onReboot() && from == InstanceStatus.SCHEDULED && current.bootId() == null
                    && e.bootId() != null ? current.withBootId(e.bootId(), e.occurredAt()) : null;
            case DELIVERY -> latest && current.delivering()
                    ? current.withoutRunWaiting().withError(e.errorCode(), e.errorInfo(), e.occurredAt()) : null;
            case EXECUTION -> latest && from == InstanceStatus.RUNNING
                    ? current.withOutcome(null, e.errorCode(), e.errorInfo(), current.output(), current.dropped(),
                            e.occurredAt()).withStatus(from.transitionTo(InstanceStatus.SCHEDULED), e.occurredAt())
                    : null;
            case SCHEDULE_END -> from == InstanceStatus.SCHEDULED && !current.delivering()
                    ? end(state, current, lastRunFailed(current) ? InstanceStatus.FAILED : InstanceStatus.SUCCESS,
                            e.occurredAt()) : null;
            case STOP -> throw new IllegalArgumentException("a stop timer is folded as for a run-once invocation");
        };
        if (next == null) {
            LOG.debug("invokeId={} instanceId={} {} timer of run {} while {} ignored", e.invokeId(), e.instanceId(),
                    e.kind(), e.run(), from.wireName());
            return state;
        }
        return state.withInstance(next, e.occurredAt());
    }

    /**
     * A run of a reboot mode is issued only for a boot id other than the one recorded (so one boot, however often its
     * agent says hello, runs once), and NextRebootOnly's only once; a Period run carries no boot id.
     */
    private static boolean rebooted(RepeatMode mode, InstanceState current, TimeoutDetected e) {
        if (!mode.onReboot()) {
            return e.bootId() == null;
        }
        return e.bootId() != null && current.bootId() != null && !e.bootId().equals(current.bootId())
                && (mode == RepeatMode.EVERY_REBOOT || current.run() == null);
    }

    /** Alibaba: Failed when the last run's "exit code was not 0"; a run that never started counts as failed too. */
    private static boolean lastRunFailed(InstanceState i) {
        return i.errorCode() != null || (i.exitCode() != null && i.exitCode() != 0);
    }

    private static InstanceState end(InvocationState state, InstanceState current, InstanceStatus to, Instant at) {
        InvocationFold.logTransition(state.invokeId().value(), current.instanceId(), current.status(), to);
        return current.withoutRunWaiting().withStatus(current.status().transitionTo(to), at);
    }

    private static InstanceState outcome(InstanceState current, InstanceStatusReported e) {
        return current.withOutcome(e.exitCode(), e.errorCode(), e.errorInfo(), e.output(), e.dropped(),
                e.occurredAt());
    }

    private static InstanceState moved(InstanceState i, InstanceStatus from, InstanceStatus to,
            InstanceStatusReported e) {
        InvocationFold.logTransition(e.invokeId().value(), e.instanceId(), from, to);
        return i.withStatus(from.transitionTo(to), e.occurredAt());
    }

    private static InvocationState ignored(InvocationState state, InstanceStatusReported e, String why) {
        LOG.info("invokeId={} instanceId={} report {} of run {} ignored: {}", e.invokeId(), e.instanceId(),
                e.status().wireName(), e.run(), why);
        return state;
    }
}
