package io.stopplane.agent.process;

import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.status.InstanceStatus;
import java.util.Optional;

/** Why a running task ended; the first claimed reason wins, so a stop racing a timeout or an exit reports once. */
enum Ending {
    EXITED, STOPPED, TIMED_OUT, SHUTDOWN;

    /** @param exitCode null when it cannot be known (the wrapper was killed, or is gone with the agent's child) */
    TaskOutcome outcome(Integer exitCode) {
        switch (this) {
            case EXITED:
                if (exitCode == null) {
                    // Gone without a trace of how: no outcome can be proven.
                    return TaskOutcome.ended(InstanceStatus.ERROR, null, InstanceErrorCode.EXECUTION_INTERRUPTED);
                }
                return exitCode == 0
                        ? TaskOutcome.ended(InstanceStatus.SUCCESS, 0, null)
                        : TaskOutcome.ended(InstanceStatus.FAILED, exitCode, InstanceErrorCode.EXIT_CODE_NONZERO);
            case TIMED_OUT:
                return TaskOutcome.ended(InstanceStatus.TIMEOUT, exitCode, InstanceErrorCode.EXECUTION_TIMEOUT);
            default:
                return TaskOutcome.ended(InstanceStatus.TERMINATED, exitCode, InstanceErrorCode.EXECUTION_INTERRUPTED);
        }
    }

    /** The reason a journal entry names, if it names one. */
    static Optional<Ending> named(String name) {
        for (Ending e : values()) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
