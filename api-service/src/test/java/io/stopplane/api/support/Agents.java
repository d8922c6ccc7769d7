package io.stopplane.api.support;

import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.UUID;

/** What an agent reports about a run, as events for the stand-in dispatcher to fold. */
public final class Agents {

    private Agents() {
    }

    public static InstanceStatusReported running(String invokeId, String instanceId) {
        return report(invokeId, instanceId, InstanceStatus.RUNNING, null, null, null);
    }

    public static InstanceStatusReported terminated(String invokeId, String instanceId, String output) {
        return report(invokeId, instanceId, InstanceStatus.TERMINATED, 143,
                InstanceErrorCode.EXECUTION_INTERRUPTED, output);
    }

    public static InstanceStatusReported cancelled(String invokeId, String instanceId) {
        return report(invokeId, instanceId, InstanceStatus.CANCELLED, null, null, "");
    }

    public static InstanceStatusReported succeeded(String invokeId, String instanceId, String output) {
        return report(invokeId, instanceId, InstanceStatus.SUCCESS, 0, null, output);
    }

    public static InstanceStatusReported failed(String invokeId, String instanceId, String output) {
        return report(invokeId, instanceId, InstanceStatus.FAILED, 3, InstanceErrorCode.EXIT_CODE_NONZERO, output);
    }

    private static InstanceStatusReported report(String invokeId, String instanceId, InstanceStatus status,
            Integer exitCode, InstanceErrorCode error, String output) {
        return new InstanceStatusReported(UUID.randomUUID().toString(), InvokeId.of(invokeId), Instant.now(),
                InstanceId.of(instanceId), status, exitCode, error == null ? null : error.code(),
                error == null ? null : error.info(), output, 0);
    }
}
