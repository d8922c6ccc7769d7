package io.stopplane.agent.task;

import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.util.Objects;

/**
 * One invocation on one instance, and for a scheduled invocation one run of it: the unit the agent runs, stops and
 * reports on. Each run of a schedule is a task of its own, journaled, deduplicated and reported apart.
 *
 * @param run the run of a scheduled invocation (its RunCommand's number); null for a run-once invocation, and for the
 *     key of a stop, which is about the invocation (see {@link #invocation})
 */
public record TaskKey(InvokeId invokeId, InstanceId instanceId, Integer run) {

    public TaskKey {
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(instanceId, "instanceId");
    }

    public TaskKey(InvokeId invokeId, InstanceId instanceId) {
        this(invokeId, instanceId, null);
    }

    public static TaskKey of(InstanceCommand command) {
        return new TaskKey(command.invokeId(), command.instanceId(),
                command instanceof RunCommand run ? run.run() : null);
    }

    /** The invocation on the instance, whichever run: what a stop is about. */
    public TaskKey invocation() {
        return run == null ? this : new TaskKey(invokeId, instanceId);
    }

    /** The name of the task's directory under its instance's: the invoke id, and the run's number for a run. */
    public String dirName() {
        return run == null ? invokeId.value() : invokeId.value() + "-run" + run;
    }

    @Override
    public String toString() {
        return "invokeId=" + invokeId + " instanceId=" + instanceId + (run == null ? "" : " run=" + run);
    }
}
