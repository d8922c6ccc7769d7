package io.stopplane.model.state;

import java.util.Objects;

/**
 * A target record: the value on {@code invocation-state} under a target's key ({@link InvocationState#targetKey}),
 * written by the dispatcher each time an event changes that target. It holds the target and the invocation's version
 * after the event, and no more (the key names the invocation; the target's update time is the invocation's): a
 * report of one target of a 100-target invocation so writes some 300 bytes, not the invocation's 26 KB. A reader lays
 * it on the invocation's state with {@link InvocationState#with}.
 */
public record InvocationTarget(long version, InstanceState instance) {

    public InvocationTarget {
        Objects.requireNonNull(instance, "instance");
    }
}
