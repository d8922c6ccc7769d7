package io.stopplane.agent.task;

import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The fold of one task's journal entries: what the agent knows about it. */
record TaskHistory(
        TaskKey key, Instant lastAt, ProcessRecord process, String ending, TaskOutcome outcome,
        boolean runningReported, boolean finalReported) {

    static TaskHistory of(TaskKey key, Instant at) {
        return new TaskHistory(key, at, null, null, null, false, false);
    }

    TaskHistory apply(JournalEntry e) {
        Instant at = e.at().isAfter(lastAt) ? e.at() : lastAt;
        switch (e.type()) {
            case JournalEntry.STARTED:
                return new TaskHistory(key, at, e.process(), ending, outcome, runningReported, finalReported);
            case JournalEntry.ENDING:
                return new TaskHistory(key, at, process, e.ending(), outcome, runningReported, finalReported);
            case JournalEntry.FINISHED:
                return new TaskHistory(key, at, process, ending, e.outcome(), runningReported, finalReported);
            case JournalEntry.REPORTED:
                boolean isFinal = e.status() != null && e.status().isTerminal();
                TaskOutcome known = outcome == null && isFinal
                        ? new TaskOutcome(e.status(), null, null, null, null, 0) : outcome;
                return new TaskHistory(key, at, process, ending, known,
                        runningReported || e.status() == InstanceStatus.RUNNING, finalReported || isFinal);
            default:
                return new TaskHistory(key, at, process, ending, outcome, runningReported, finalReported);
        }
    }

    /** Over and acknowledged: kept only so that a redelivered run is recognised. */
    boolean done() {
        return finalReported;
    }

    Leftover leftover() {
        return new Leftover(key, process, ending, outcome, runningReported);
    }

    /** The fewest entries that fold back into this history. */
    List<JournalEntry> compacted() {
        List<JournalEntry> entries = new ArrayList<>();
        entries.add(JournalEntry.accepted(key, lastAt));
        if (process != null && !done()) {
            entries.add(JournalEntry.started(key, lastAt, process));
        }
        if (ending != null && !done()) {
            entries.add(JournalEntry.ending(key, lastAt, ending));
        }
        if (outcome != null) {
            entries.add(JournalEntry.finished(key, lastAt, outcome));
        }
        if (runningReported && !done()) {
            entries.add(JournalEntry.reported(key, lastAt, InstanceStatus.RUNNING));
        }
        if (done()) {
            entries.add(JournalEntry.reported(key, lastAt, outcome.status()));
        }
        return entries;
    }
}
