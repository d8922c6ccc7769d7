package io.stopplane.agent.task;

import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.util.Objects;

/** One invocation on one instance: the unit the agent runs, stops and reports on. */
public record TaskKey(InvokeId invokeId, InstanceId instanceId) {

    public TaskKey {
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(instanceId, "instanceId");
    }

    public static TaskKey of(InstanceCommand command) {
        return new TaskKey(command.invokeId(), command.instanceId());
    }

    @Override
    public String toString() {
        return "invokeId=" + invokeId + " instanceId=" + instanceId;
    }
}
