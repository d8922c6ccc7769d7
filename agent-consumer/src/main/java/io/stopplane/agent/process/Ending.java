package io.stopplane.agent.process;

import io.stopplane.agent.report.TaskOutcome;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.status.InstanceStatus;

/** Why a running task ended; the first claimed reason wins, so a stop racing a timeout or an exit reports once. */
enum Ending {
    EXITED, STOPPED, TIMED_OUT, SHUTDOWN;

    TaskOutcome outcome(Integer exitCode) {
        switch (this) {
            case EXITED:
                return exitCode != null && exitCode == 0
                        ? TaskOutcome.ended(InstanceStatus.SUCCESS, 0, null)
                        : TaskOutcome.ended(InstanceStatus.FAILED, exitCode, InstanceErrorCode.EXIT_CODE_NONZERO);
            case TIMED_OUT:
                return TaskOutcome.ended(InstanceStatus.TIMEOUT, exitCode, InstanceErrorCode.EXECUTION_TIMEOUT);
            default:
                return TaskOutcome.ended(InstanceStatus.TERMINATED, exitCode, InstanceErrorCode.EXECUTION_INTERRUPTED);
        }
    }
}
