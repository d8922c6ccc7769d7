package io.stopplane.agent.task;

import io.stopplane.model.status.InstanceStatus;
import java.util.List;

/**
 * What the agent has taken charge of, so that it never runs a task twice, never starts one whose stop it has read, and
 * after a restart finds what was running. Every method returns once the fact is durable, except within
 * {@link #batch(Runnable)}, which returns once all the facts recorded in it are.
 */
public interface TaskJournal {

    /**
     * Runs {@code work}, in which this thread's records are written at once but made durable together when it ends
     * (one group of disk flushes rather than one flush per record): for a batch of commands whose offsets are committed
     * only after it. A crash of the agent alone loses nothing written; a power cut may lose the batch, whose commands
     * are then read again.
     */
    default void batch(Runnable work) {
        work.run();
    }

    /**
     * Takes charge of a task on first sight of its run, or of its stop when the run was never seen.
     *
     * @return false when the task was already known: a redelivered or duplicate run, or a stop of a task already dealt with
     */
    boolean admit(TaskKey key);

    /** Whether the task is known: admitted, and not yet forgotten. */
    boolean knows(TaskKey key);

    /** The command's processes exist. */
    void started(TaskKey key, ProcessRecord process);

    /** The agent decided to end the command (stop, timeout, shutdown) and is about to signal it. */
    void ending(TaskKey key, String reason);

    /**
     * The outcome the agent is about to report: sent again after a restart until acknowledged. Its output is not
     * journaled; it stays in the task's files until then.
     */
    void finished(TaskKey key, TaskOutcome outcome);

    /** The broker acknowledged a report of the task. */
    void reported(TaskKey key, InstanceStatus status);

    /** The hosted instances' tasks left without an acknowledged terminal report by the previous run of the agent. */
    List<Leftover> leftovers();
}
