package io.stopplane.dispatcher.state;

import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Decides which deadlines of one invocation have passed. Pure: the clock and heartbeats are passed in. */
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
        for (InstanceState i : state.instances()) {
            AgentHeartbeat hb = heartbeats.apply(i.instanceId());
            boolean agentAlive = hb != null && hb.at().plus(props.heartbeatExpiry()).isAfter(now);
            if (i.status() == InstanceStatus.PENDING && passed(i.creationTime(), deliveryTimeout(state), now)) {
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
        return new TimeoutDetected(UUID.randomUUID().toString(), s.invokeId(), now, i.instanceId(), kind, code, info);
    }
}
