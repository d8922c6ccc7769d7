package io.stopplane.gateway.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.stopplane.gateway.delivery.Pending;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a report must pass to be written to {@code invocation-events}, in this order: it is well-formed, its
 * instance is one the connection proved, its status is one an agent may report, its output is at most 24 KB, and the
 * invocation targets that instance (a RunCommand for the pair was read).
 */
public final class ReportCheck {

    /** The statuses an agent may report: what a run does. Pending, Scheduled, Stopping, Invalid are the control plane's. */
    public static final Set<InstanceStatus> AGENT_STATUSES = EnumSet.of(InstanceStatus.RUNNING, InstanceStatus.SUCCESS,
            InstanceStatus.FAILED, InstanceStatus.TIMEOUT, InstanceStatus.ERROR, InstanceStatus.CANCELLED,
            InstanceStatus.TERMINATED, InstanceStatus.ABORTED);
    public static final int MAX_OUTPUT_BYTES = 24 * 1024;
    private static final int MAX_ERROR_CODE = 128;
    private static final int MAX_ERROR_INFO = 4096;

    private ReportCheck() {
    }

    public static Optional<Refusal> check(AgentReport r, Set<InstanceId> proven, Pending pending) {
        if (r == null || !InvokeId.isValid(r.invokeId()) || !InstanceId.isValid(r.instanceId()) || r.status() == null) {
            return refuse("Report.Invalid", "a report needs a valid invokeId, instanceId and status");
        }
        if ((r.errorCode() != null && r.errorCode().length() > MAX_ERROR_CODE)
                || (r.errorInfo() != null && r.errorInfo().length() > MAX_ERROR_INFO)
                || (r.dropped() != null && r.dropped() < 0) || (r.run() != null && r.run() < 1)) {
            return refuse("Report.Invalid", "errorCode is at most " + MAX_ERROR_CODE + " characters, errorInfo at most "
                    + MAX_ERROR_INFO + ", dropped is not negative, run is at least 1");
        }
        InstanceId instance = InstanceId.of(r.instanceId());
        if (!proven.contains(instance)) {
            return refuse("Report.NotYourInstance", instance + " is not an instance this connection proved");
        }
        InstanceStatus status = parse(r.status());
        if (status == null || !AGENT_STATUSES.contains(status)) {
            return refuse("Report.IllegalStatus", "an agent may report only "
                    + AGENT_STATUSES.stream().map(InstanceStatus::wireName).toList());
        }
        if (r.output() != null && r.output().getBytes(UTF_8).length > MAX_OUTPUT_BYTES) {
            return refuse("Report.OutputTooLarge", "output is at most " + MAX_OUTPUT_BYTES + " bytes (UTF-8); count "
                    + "the rest in dropped");
        }
        if (!pending.targets(InvokeId.of(r.invokeId()), instance)) {
            return refuse("Report.NotATarget", r.invokeId() + " does not target " + instance);
        }
        return Optional.empty();
    }

    static InstanceStatus parse(String status) {
        try {
            return InstanceStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<Refusal> refuse(String code, String message) {
        return Optional.of(new Refusal(code, message));
    }
}
