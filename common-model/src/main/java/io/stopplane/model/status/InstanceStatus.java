package io.stopplane.model.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The per-instance {@code InvocationStatus} of the Cloud Assistant API, with its transition table.
 * Terminal statuses never change again.
 */
public enum InstanceStatus {
    PENDING("Pending", false),
    SCHEDULED("Scheduled", false),
    RUNNING("Running", false),
    STOPPING("Stopping", false),
    SUCCESS("Success", true),
    FAILED("Failed", true),
    TIMEOUT("Timeout", true),
    ERROR("Error", true),
    INVALID("Invalid", true),
    ABORTED("Aborted", true),
    CANCELLED("Cancelled", true),
    TERMINATED("Terminated", true);

    private static final Map<InstanceStatus, Set<InstanceStatus>> NEXT = new EnumMap<>(InstanceStatus.class);

    static {
        NEXT.put(PENDING, EnumSet.of(RUNNING, SCHEDULED, STOPPING, INVALID, ABORTED, ERROR));
        // A schedule that runs out ends as its last run did.
        NEXT.put(SCHEDULED, EnumSet.of(RUNNING, STOPPING, SUCCESS, FAILED));
        NEXT.put(RUNNING, EnumSet.of(SUCCESS, FAILED, TIMEOUT, ERROR, STOPPING, SCHEDULED));
        // A stop that races a finish ends in whatever the agent really did.
        NEXT.put(STOPPING, EnumSet.of(CANCELLED, TERMINATED, SUCCESS, FAILED, TIMEOUT, ERROR));
        for (InstanceStatus s : values()) {
            NEXT.putIfAbsent(s, EnumSet.noneOf(InstanceStatus.class));
        }
    }

    private final String wireName;
    private final boolean terminal;

    InstanceStatus(String wireName, boolean terminal) {
        this.wireName = wireName;
        this.terminal = terminal;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** Cancelled or Terminated: the target was stopped. */
    public boolean isStopped() {
        return this == CANCELLED || this == TERMINATED;
    }

    /** The statuses the roll-up counts as failed. */
    public boolean isFailure() {
        return this == FAILED || this == INVALID || this == ABORTED || this == TIMEOUT || this == ERROR;
    }

    public boolean canTransitionTo(InstanceStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** The one guard of the status machine. */
    public InstanceStatus transitionTo(InstanceStatus next) {
        if (!canTransitionTo(next)) {
            throw new IllegalStateException("Invalid transition from " + this.wireName + " to " + next.wireName);
        }
        return next;
    }

    /** The legacy per-row {@code InvokeRecordStatus}. */
    public String invokeRecordStatus() {
        if (this == STOPPING) {
            return "Stopping";
        }
        if (isStopped()) {
            return "Stopped";
        }
        if (this == SUCCESS) {
            return "Finished";
        }
        if (isFailure()) {
            return "Failed";
        }
        return "Running";
    }

    @JsonCreator
    public static InstanceStatus fromWire(String value) {
        for (InstanceStatus s : values()) {
            if (s.wireName.equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown InvocationStatus: " + value);
    }
}
