package io.stopplane.agent.report;

import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.status.InstanceStatus;
import java.util.Objects;

/** What the agent has to say about a task: a status with, once it is over, the exit code, error and output. */
public record TaskOutcome(
        InstanceStatus status, Integer exitCode, InstanceErrorCode error, String errorInfo, String output, long dropped) {

    public TaskOutcome {
        Objects.requireNonNull(status, "status");
        if (errorInfo == null && error != null) {
            errorInfo = error.info();
        }
    }

    public static TaskOutcome running() {
        return new TaskOutcome(InstanceStatus.RUNNING, null, null, null, null, 0);
    }

    /** Stopped before it started. */
    public static TaskOutcome cancelled() {
        return new TaskOutcome(InstanceStatus.CANCELLED, null, null, null, null, 0);
    }

    /** Never started: the command cannot run here. */
    public static TaskOutcome rejected(InstanceStatus status, InstanceErrorCode error, String errorInfo) {
        return new TaskOutcome(status, null, error, errorInfo, null, 0);
    }

    /** The process is over; {@code exitCode} is null only if it could not be reaped. */
    public static TaskOutcome ended(InstanceStatus status, Integer exitCode, InstanceErrorCode error) {
        return new TaskOutcome(status, exitCode, error, null, null, 0);
    }

    public TaskOutcome withOutput(String output, long dropped) {
        return new TaskOutcome(status, exitCode, error, errorInfo, output, dropped);
    }
}
