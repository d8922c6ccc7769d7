package io.stopplane.agent.task;

import io.stopplane.model.status.InstanceStatus;
import java.util.List;

/**
 * What the agent has taken charge of, so that it never runs a task twice, never starts one whose stop it has read, and
 * after a restart finds what was running. Every method returns once the fact is durable.
 */
public interface TaskJournal {

    /**
     * Takes charge of a task on first sight of its run, or of its stop when the run was never seen.
     *
     * @return false when the task was already known: a redelivered or duplicate run, or a stop of a task already dealt with
     */
    boolean admit(TaskKey key);

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
