package io.stopplane.agent.task;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the journal. {@code type} says which of the optional fields it carries: {@code accepted},
 * {@code started} (process), {@code ending} (ending), {@code finished} (outcome), {@code reported} (status).
 * {@code instanceId} is null only in the per-instance files of older agents, where the file named the instance.
 * {@code run} is the run of a scheduled invocation (see {@link TaskKey}), absent otherwise.
 */
record JournalEntry(
        String type, InstanceId instanceId, InvokeId invokeId, Instant at, ProcessRecord process, String ending,
        TaskOutcome outcome, InstanceStatus status, Integer run) {

    static final String ACCEPTED = "accepted";
    static final String STARTED = "started";
    static final String ENDING = "ending";
    static final String FINISHED = "finished";
    static final String REPORTED = "reported";

    JournalEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(at, "at");
    }

    static JournalEntry accepted(TaskKey key, Instant at) {
        return new JournalEntry(ACCEPTED, key.instanceId(), key.invokeId(), at, null, null, null, null, key.run());
    }

    static JournalEntry started(TaskKey key, Instant at, ProcessRecord process) {
        return new JournalEntry(STARTED, key.instanceId(), key.invokeId(), at, process, null, null, null, key.run());
    }

    static JournalEntry ending(TaskKey key, Instant at, String ending) {
        return new JournalEntry(ENDING, key.instanceId(), key.invokeId(), at, null, ending, null, null, key.run());
    }

    static JournalEntry finished(TaskKey key, Instant at, TaskOutcome outcome) {
        return new JournalEntry(FINISHED, key.instanceId(), key.invokeId(), at, null, null, outcome, null, key.run());
    }

    static JournalEntry reported(TaskKey key, Instant at, InstanceStatus status) {
        return new JournalEntry(REPORTED, key.instanceId(), key.invokeId(), at, null, null, null, status, key.run());
    }

    /** The entry as an older agent's file of {@code instance} meant it. */
    JournalEntry of(InstanceId instance) {
        return instanceId != null ? this
                : new JournalEntry(type, instance, invokeId, at, process, ending, outcome, status, run);
    }

    /** @throws NullPointerException for an entry of an older agent's file not yet given its instance */
    TaskKey key() {
        return new TaskKey(invokeId, instanceId, run);
    }
}
