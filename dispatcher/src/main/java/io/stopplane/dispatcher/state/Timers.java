package io.stopplane.dispatcher.state;

import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.schedule.Frequency;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides which deadlines of one invocation have passed, and which runs of a scheduled one are due (see
 * {@link #scheduled}, and {@link #onReboot} for the reboot modes). Pure: the clock and heartbeats are passed in.
 */
final class Timers {

    private final TimerProperties props;

    Timers(TimerProperties props) {
        this.props = props;
    }

    /** How long a finished invocation is kept. */
    Duration retention() {
        return props.retention();
    }

    List<TimeoutDetected> due(InvocationState state, Instant now, Function<InstanceId, AgentHeartbeat> heartbeats) {
        List<TimeoutDetected> due = new ArrayList<>();
        Schedule schedule = state.schedule();
        Frequency frequency = schedule == null || schedule.onReboot() ? null : schedule.parsed();
        for (InstanceState i : state.instances()) {
            AgentHeartbeat hb = heartbeats.apply(i.instanceId());
            boolean agentAlive = hb != null && hb.at().plus(props.heartbeatExpiry()).isAfter(now);
            if (schedule != null && i.status() == InstanceStatus.SCHEDULED) {
                (frequency == null ? onReboot(state, i, hb, agentAlive, now)
                        : scheduled(state, i, frequency, agentAlive, now)).ifPresent(due::add);
            } else if (i.status() == InstanceStatus.PENDING && passed(i.creationTime(), deliveryTimeout(state), now)) {
                InstanceErrorCode code = agentAlive ? InstanceErrorCode.DELIVERY_TIMEOUT
                        : InstanceErrorCode.CLIENT_NOT_RUNNING;
                due.add(event(state, i, now, TimeoutDetected.Kind.DELIVERY, code.code(), code.info()));
            } else if (i.status() == InstanceStatus.STOPPING && i.errorCode() == null
                    && passed(i.stopTime(), props.stopTimeout(), now)) {
                String info = "the stop has not been acknowledged since " + i.stopTime()
                        + (agentAlive ? "" : ": the agent is not running; the stop completes when it returns");
                InstanceErrorCode code = agentAlive ? InstanceErrorCode.CLIENT_NOT_RESPONSE
                        : InstanceErrorCode.CLIENT_NOT_RUNNING;
                due.add(event(state, i, now, TimeoutDetected.Kind.STOP, code.code(), info));
            } else if (i.status() == InstanceStatus.RUNNING && !agentAlive && state.command() != null
                    && passed(i.startTime(), props.executionMargin().plusSeconds(state.command().timeoutSeconds()),
                            now)) {
                InstanceErrorCode code = InstanceErrorCode.CLIENT_NOT_RESPONSE;
                due.add(event(state, i, now, TimeoutDetected.Kind.EXECUTION, code.code(), code.info()));
            }
        }
        return due;
    }

    /**
     * A waiting target of a schedule: its run given up when not started within the delivery timeout; else its next
     * run issued when one fell due after the latest run was issued (or the invocation created: a rate's first run is
     * one interval after it) and after it finished (a run due while the last one ran overlapped it), within the grace,
     * and its agent is connected; else skipped. A target with
     * no run left ends. An overlapping run is never issued: the target is Running, or its issued run still waits.
     */
    private Optional<TimeoutDetected> scheduled(InvocationState s, InstanceState i, Frequency frequency,
            boolean agentAlive, Instant now) {
        if (i.delivering()) {
            return givenUp(s, i, agentAlive, now);
        }
        // a target added by a modification waits from when it joined; a rate counts from when its Frequency was set
        Instant joined = i.creationTime() == null ? s.creationTime() : i.creationTime();
        Instant after = latest(i.issuedAt() == null ? joined : i.issuedAt(), i.finishTime(),
                now.minus(props.missedRunGrace()));
        Optional<Instant> next = frequency.next(s.schedule().origin(s.creationTime()), after);
        if (next.isEmpty()) {
            return Optional.of(event(s, i, now, TimeoutDetected.Kind.SCHEDULE_END, null, null, i.run()));
        }
        if (next.get().isAfter(now) || !agentAlive) {
            return Optional.empty();
        }
        return Optional.of(event(s, i, now, TimeoutDetected.Kind.RUN, null, null, i.run() == null ? 1 : i.run() + 1));
    }

    /**
     * A waiting target of NextRebootOnly or EveryReboot: its run given up as a schedule's is; else the boot id its
     * instance's latest heartbeat carries recorded when the target has none yet (the latest heartbeat, even of an agent
     * away now, is the boot the invocation was created on); else, when that boot id differs from the recorded one and
     * its agent is connected, a run issued for it. A heartbeat not younger than the recorded boot (the target's
     * creation or latest run) is never a reboot: the table may replay older heartbeats while it catches up. A
     * NextRebootOnly target whose run is over ends.
     */
    private Optional<TimeoutDetected> onReboot(InvocationState s, InstanceState i, AgentHeartbeat hb,
            boolean agentAlive, Instant now) {
        if (i.delivering()) {
            return givenUp(s, i, agentAlive, now);
        }
        if (s.schedule().mode() == RepeatMode.NEXT_REBOOT_ONLY && i.run() != null) {
            return Optional.of(event(s, i, now, TimeoutDetected.Kind.SCHEDULE_END, null, null, i.run()));
        }
        String seen = hb == null ? null : hb.bootId();
        if (seen == null) {
            return Optional.empty();
        }
        if (i.bootId() == null) {
            return Optional.of(event(s, i, now, TimeoutDetected.Kind.BOOT, null, null, i.run(), seen));
        }
        Instant recorded = i.issuedAt() == null ? s.creationTime() : i.issuedAt();
        if (seen.equals(i.bootId()) || !agentAlive || !hb.at().isAfter(recorded)) {
            return Optional.empty();
        }
        return Optional.of(event(s, i, now, TimeoutDetected.Kind.RUN, null, null, i.run() == null ? 1 : i.run() + 1,
                seen));
    }

    /** A schedule's issued run not started within the delivery timeout: given up, the target waits for the next. */
    private Optional<TimeoutDetected> givenUp(InvocationState s, InstanceState i, boolean agentAlive, Instant now) {
        if (!passed(i.issuedAt(), deliveryTimeout(s), now)) {
            return Optional.empty();
        }
        InstanceErrorCode code = agentAlive ? InstanceErrorCode.DELIVERY_TIMEOUT : InstanceErrorCode.CLIENT_NOT_RUNNING;
        return Optional.of(event(s, i, now, TimeoutDetected.Kind.DELIVERY, code.code(), code.info(), i.run()));
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant ab = b != null && b.isAfter(a) ? b : a;
        return c.isAfter(ab) ? c : ab;
    }

    /** The command's own, as the API wrote it (the agents use the same); the configured one for older commands. */
    private Duration deliveryTimeout(InvocationState state) {
        Duration configured = props.deliveryTimeout();
        return state.command() == null ? configured : state.command().deliveryTimeout(configured);
    }

    private static boolean passed(Instant since, Duration timeout, Instant now) {
        return since != null && !since.plus(timeout).isAfter(now);
    }

    private static TimeoutDetected event(InvocationState s, InstanceState i, Instant now, TimeoutDetected.Kind kind,
            String code, String info) {
        return event(s, i, now, kind, code, info, i.run());
    }

    private static TimeoutDetected event(InvocationState s, InstanceState i, Instant now, TimeoutDetected.Kind kind,
            String code, String info, Integer run) {
        return event(s, i, now, kind, code, info, run, null);
    }

    private static TimeoutDetected event(InvocationState s, InstanceState i, Instant now, TimeoutDetected.Kind kind,
            String code, String info, Integer run, String bootId) {
        // a schedule's timer is armed for its current revision: once modified, the fold ignores an older one's
        return new TimeoutDetected(UUID.randomUUID().toString(), s.invokeId(), now, i.instanceId(), kind, code, info,
                run, bootId, s.schedule() == null ? null : s.schedule().revision());
    }
}
