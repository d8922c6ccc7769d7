package io.stopplane.agent.task;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of an instance's journal file. {@code type} says which of the optional fields it carries:
 * {@code accepted}, {@code started} (process), {@code ending} (ending), {@code finished} (outcome), {@code reported}
 * (status).
 */
record JournalEntry(
        String type, InvokeId invokeId, Instant at, ProcessRecord process, String ending, TaskOutcome outcome,
        InstanceStatus status) {

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

    static JournalEntry accepted(InvokeId invokeId, Instant at) {
        return new JournalEntry(ACCEPTED, invokeId, at, null, null, null, null);
    }

    static JournalEntry started(InvokeId invokeId, Instant at, ProcessRecord process) {
        return new JournalEntry(STARTED, invokeId, at, process, null, null, null);
    }

    static JournalEntry ending(InvokeId invokeId, Instant at, String ending) {
        return new JournalEntry(ENDING, invokeId, at, null, ending, null, null);
    }

    static JournalEntry finished(InvokeId invokeId, Instant at, TaskOutcome outcome) {
        return new JournalEntry(FINISHED, invokeId, at, null, null, outcome, null);
    }

    static JournalEntry reported(InvokeId invokeId, Instant at, InstanceStatus status) {
        return new JournalEntry(REPORTED, invokeId, at, null, null, null, status);
    }
}
