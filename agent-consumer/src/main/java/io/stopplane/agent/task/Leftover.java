package io.stopplane.agent.task;

import java.util.Objects;

/**
 * A task the journal holds that a previous run of the agent did not see through to a reported outcome.
 *
 * @param process null when the agent died before it could journal the start: the command may or may not have started
 * @param ending the reason the agent had decided to end it ({@code STOPPED}, {@code TIMED_OUT}, {@code SHUTDOWN}), or
 *     null
 * @param outcome the outcome already decided but not yet acknowledged by the broker, or null
 * @param runningReported whether {@code Running} was acknowledged
 */
public record Leftover(TaskKey key, ProcessRecord process, String ending, TaskOutcome outcome, boolean runningReported) {

    public Leftover {
        Objects.requireNonNull(key, "key");
    }
}
