package io.stopplane.model.state;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.Objects;

/**
 * The captured output of one target's run, on the compacted {@code invocation-outputs} topic (key {@link #key()}). Kept
 * apart from the state so that a 100-instance invocation's state record stays small.
 */
public record InstanceOutput(InvokeId invokeId, InstanceId instanceId, String output, long dropped, Instant at) {

    public InstanceOutput {
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(output, "output");
    }

    public String key() {
        return key(invokeId, instanceId);
    }

    public static String key(InvokeId invokeId, InstanceId instanceId) {
        return invokeId.value() + "/" + instanceId.value();
    }
}
