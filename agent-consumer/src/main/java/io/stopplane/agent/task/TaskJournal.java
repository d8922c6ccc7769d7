package io.stopplane.agent.task;

import io.stopplane.model.status.InstanceStatus;

/**
 * What the agent has taken charge of, so that it never runs a task twice and never starts one whose stop it has read.
 * The seam for a durable journal: today's implementation forgets everything on restart, where committed offsets are
 * the only protection against re-running.
 */
public interface TaskJournal {

    /**
     * Takes charge of a task on first sight of its run, or of its stop when the run was never seen.
     *
     * @return false when the task was already known: a redelivered or duplicate run, or a stop of a task already dealt with
     */
    boolean admit(TaskKey key);

    /** Records the terminal status the agent reported for the task. */
    void finished(TaskKey key, InstanceStatus status);
}
