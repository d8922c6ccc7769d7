package io.stopplane.model.state;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.Objects;

/** The state of one target of an invocation, as DescribeInvocations shows it in {@code InvokeInstances}. */
public record InstanceState(
        InstanceId instanceId,
        InstanceStatus status,
        Integer exitCode,
        String errorCode,
        String errorInfo,
        String output,
        long dropped,
        Instant creationTime,
        Instant startTime,
        Instant finishTime,
        Instant stopTime,
        Instant updateTime) {

    public InstanceState {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(status, "status");
    }

    public static InstanceState pending(InstanceId instanceId, Instant at) {
        return new InstanceState(instanceId, InstanceStatus.PENDING, null, null, null, null, 0, at, null, null, null, at);
    }

    InstanceState withoutOutput() {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, null, dropped, creationTime,
                startTime, finishTime, stopTime, updateTime);
    }

    InstanceState withStatus(InstanceStatus next, Instant at) {
        return new InstanceState(instanceId, next, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, stopTime, at);
    }

    InstanceState withStopTime(Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, at, at);
    }

    InstanceState withStartTime(Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                at, finishTime, stopTime, at);
    }

    InstanceState withError(String errorCode, String errorInfo, Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, stopTime, at);
    }

    InstanceState withOutcome(Integer exitCode, String errorCode, String errorInfo, String output, long dropped,
            Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, at, stopTime, at);
    }
}
