package io.stopplane.model.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.Objects;

/**
 * A timer of the dispatcher fired for one target. Timers are events, so a replay of the log reproduces them.
 *
 * @param kind which deadline passed
 * @param errorCode the per-instance ErrorCode it sets (DeliveryTimeout, ClientNotRunning, ClientNotResponse, …)
 * @param run for a scheduled invocation, the run the timer is about (for {@link Kind#RUN}: the run it issues); null
 *     for a run-once invocation
 * @param bootId for a reboot-mode invocation ({@code NextRebootOnly}, {@code EveryReboot}): the instance's boot id that
 *     {@link Kind#BOOT} records, or that {@link Kind#RUN} issues its run for; null otherwise
 */
public record TimeoutDetected(
        String eventId,
        InvokeId invokeId,
        Instant occurredAt,
        InstanceId instanceId,
        Kind kind,
        String errorCode,
        String errorInfo,
        Integer run,
        String bootId,
        Integer revision)
        implements InvocationEvent {

    /** A timer of a schedule that was never modified (revision 0), or of a run-once invocation. */
    public TimeoutDetected(String eventId, InvokeId invokeId, Instant occurredAt, InstanceId instanceId, Kind kind,
            String errorCode, String errorInfo, Integer run, String bootId) {
        this(eventId, invokeId, occurredAt, instanceId, kind, errorCode, errorInfo, run, bootId, null);
    }

    /** A timer of a run-once invocation. */
    public TimeoutDetected(String eventId, InvokeId invokeId, Instant occurredAt, InstanceId instanceId, Kind kind,
            String errorCode, String errorInfo) {
        this(eventId, invokeId, occurredAt, instanceId, kind, errorCode, errorInfo, null, null, null);
    }

    /** A timer of a scheduled invocation that runs on a Frequency. */
    public TimeoutDetected(String eventId, InvokeId invokeId, Instant occurredAt, InstanceId instanceId, Kind kind,
            String errorCode, String errorInfo, Integer run) {
        this(eventId, invokeId, occurredAt, instanceId, kind, errorCode, errorInfo, run, null, null);
    }

    public TimeoutDetected {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(kind, "kind");
    }

    /** The schedule revision it was armed for: 0 when it carries none. */
    public int armedFor() {
        return revision == null ? 0 : revision;
    }

    /** The deadlines the dispatcher watches. */
    public enum Kind {
        /** A run was not picked up by its agent in time: the target is Aborted. */
        DELIVERY("Delivery"),
        /** A stop was not acknowledged in time: the target stays Stopping, with the reason in ErrorInfo. */
        STOP("Stop"),
        /** A running target's agent went silent past the command's timeout: the target is Error. */
        EXECUTION("Execution"),
        /**
         * A scheduled target's next run is due, and nothing of it runs or waits: run {@code run} is issued (the
         * dispatcher sends its RunCommand as it folds this).
         */
        RUN("Run"),
        /** A scheduled target's schedule has no run left and none in progress: it ends Success or Failed. */
        SCHEDULE_END("ScheduleEnd"),
        /**
         * A target of a reboot-mode invocation sees its instance's boot id for the first time: {@code bootId} is
         * recorded, nothing runs; a later boot id different from it is a reboot (a {@link #RUN} carrying it).
         */
        BOOT("Boot");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Kind fromWire(String value) {
            for (Kind k : values()) {
                if (k.wireName.equalsIgnoreCase(value)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown timeout kind: " + value);
        }
    }
}
