package io.stopplane.agent.task;

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

    /** Never started: delivered after its deadline, the dispatcher has already given up on it. */
    public static TaskOutcome aborted() {
        return new TaskOutcome(InstanceStatus.ABORTED, null, InstanceErrorCode.DELIVERY_TIMEOUT, null, null, 0);
    }

    /** The process is over; {@code exitCode} is null when it cannot be known. */
    public static TaskOutcome ended(InstanceStatus status, Integer exitCode, InstanceErrorCode error) {
        return new TaskOutcome(status, exitCode, error, null, null, 0);
    }

    public TaskOutcome withOutput(String output, long dropped) {
        return new TaskOutcome(status, exitCode, error, errorInfo, output, dropped);
    }
}
