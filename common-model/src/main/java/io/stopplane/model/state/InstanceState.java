package io.stopplane.model.state;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of one target of an invocation, as DescribeInvocations shows it in {@code InvokeInstances}. For a target of
 * a scheduled invocation the outcome fields are those of its latest run, and four fields follow its runs.
 *
 * @param run the latest run the dispatcher issued (1, 2, …), null before the first and for a run-once invocation
 * @param repeats how many runs started (Alibaba's {@code Repeats})
 * @param issuedAt when run {@code run} was issued: the next run is due after it
 * @param delivering run {@code run} was issued and has neither started nor been given up: no other run is issued
 *     meanwhile (an overlapping run is skipped, not stacked)
 * @param bootId for a target of a reboot-mode invocation ({@code NextRebootOnly}, {@code EveryReboot}), the boot id
 *     of its instance first seen after the invocation was created, then the one its latest run was issued for: a
 *     different one means the instance rebooted since; null before it is first seen and for every other invocation
 */
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
        Instant updateTime,
        Integer run,
        Integer repeats,
        Instant issuedAt,
        Boolean delivering,
        String bootId) {

    /** {@code repeats} and {@code delivering} are boxed only so that a record written before them reads as 0, false. */
    public InstanceState {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(status, "status");
        repeats = repeats == null ? 0 : repeats;
        delivering = delivering != null && delivering;
    }

    public InstanceState(InstanceId instanceId, InstanceStatus status, Integer exitCode, String errorCode,
            String errorInfo, String output, long dropped, Instant creationTime, Instant startTime, Instant finishTime,
            Instant stopTime, Instant updateTime) {
        this(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime, startTime, finishTime,
                stopTime, updateTime, null, 0, null, false, null);
    }

    public static InstanceState pending(InstanceId instanceId, Instant at) {
        return new InstanceState(instanceId, InstanceStatus.PENDING, null, null, null, null, 0, at, null, null, null, at);
    }

    /** A target of a scheduled invocation: waiting for its first run. */
    static InstanceState scheduled(InstanceId instanceId, Instant at) {
        return pending(instanceId, at).withStatus(InstanceStatus.SCHEDULED, at);
    }

    /** Whether a run of this target runs or waits to start: then the next one is skipped. */
    public boolean runInProgress() {
        return delivering || status == InstanceStatus.RUNNING;
    }

    InstanceState withoutOutput() {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, null, dropped, creationTime,
                startTime, finishTime, stopTime, updateTime, run, repeats, issuedAt, delivering, bootId);
    }

    InstanceState withStatus(InstanceStatus next, Instant at) {
        return new InstanceState(instanceId, next, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, stopTime, at, run, repeats, issuedAt, delivering, bootId);
    }

    InstanceState withStopTime(Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, at, at, run, repeats, issuedAt, delivering, bootId);
    }

    InstanceState withStartTime(Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                at, finishTime, stopTime, at, run, repeats, issuedAt, delivering, bootId);
    }

    InstanceState withError(String errorCode, String errorInfo, Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, stopTime, at, run, repeats, issuedAt, delivering, bootId);
    }

    InstanceState withOutcome(Integer exitCode, String errorCode, String errorInfo, String output, long dropped,
            Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, at, stopTime, at, run, repeats, issuedAt, delivering, bootId);
    }

    /** Run {@code number} was issued at {@code at} and waits to start. */
    InstanceState withRunIssued(int number, Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, stopTime, at, number, repeats, at, true, bootId);
    }

    /** The run issued started at {@code at}: counted, and the previous run's outcome cleared. */
    InstanceState withRunStarted(Instant at) {
        return new InstanceState(instanceId, status, null, null, null, null, 0, creationTime, at, null, stopTime, at,
                run, repeats + 1, issuedAt, false, bootId);
    }

    /** The run issued will not start (refused, or given up undelivered). */
    InstanceState withoutRunWaiting() {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, stopTime, updateTime, run, repeats, issuedAt, false, bootId);
    }

    /** The instance's boot id, as a reboot-mode target records it (see {@code bootId}). */
    InstanceState withBootId(String seen, Instant at) {
        return new InstanceState(instanceId, status, exitCode, errorCode, errorInfo, output, dropped, creationTime,
                startTime, finishTime, stopTime, at, run, repeats, issuedAt, delivering, seen);
    }
}
