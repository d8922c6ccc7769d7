package io.stopplane.model.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;

/** The overall status of an invocation, rolled up from its instances' statuses. */
public enum InvocationStatus {
    PENDING("Pending", "Running"),
    SCHEDULED("Scheduled", "Running"),
    RUNNING("Running", "Running"),
    STOPPING("Stopping", "Stopping"),
    SUCCESS("Success", "Finished"),
    FAILED("Failed", "Failed"),
    PARTIAL_FAILED("PartialFailed", "PartialFailed"),
    STOPPED("Stopped", "Stopped");

    private final String wireName;
    private final String legacyInvokeStatus;

    InvocationStatus(String wireName, String legacyInvokeStatus) {
        this.wireName = wireName;
        this.legacyInvokeStatus = legacyInvokeStatus;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The legacy {@code InvokeStatus} field that old clients still read. */
    public String legacyInvokeStatus() {
        return legacyInvokeStatus;
    }

    public boolean isFinal() {
        return this != PENDING && this != SCHEDULED && this != RUNNING && this != STOPPING;
    }

    /**
     * The roll-up of the reference: any Stopping, else any Running, else any Pending, else any Scheduled; once all are
     * terminal, all stopped is Stopped, Success with stops is Success, failures with stops is Failed, Success mixed with
     * failures is PartialFailed.
     */
    public static InvocationStatus rollUp(Collection<InstanceStatus> statuses) {
        if (statuses.isEmpty()) {
            return PENDING;
        }
        if (statuses.contains(InstanceStatus.STOPPING)) {
            return STOPPING;
        }
        if (statuses.contains(InstanceStatus.RUNNING)) {
            return RUNNING;
        }
        if (statuses.contains(InstanceStatus.PENDING)) {
            return PENDING;
        }
        if (statuses.contains(InstanceStatus.SCHEDULED)) {
            return SCHEDULED;
        }
        boolean anySuccess = statuses.contains(InstanceStatus.SUCCESS);
        boolean anyFailure = statuses.stream().anyMatch(InstanceStatus::isFailure);
        if (anySuccess && anyFailure) {
            return PARTIAL_FAILED;
        }
        if (anySuccess) {
            return SUCCESS;
        }
        if (anyFailure) {
            return FAILED;
        }
        return STOPPED;
    }

    @JsonCreator
    public static InvocationStatus fromWire(String value) {
        for (InvocationStatus s : values()) {
            if (s.wireName.equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown invocation status: " + value);
    }
}
