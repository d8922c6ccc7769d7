package io.stopplane.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * When a fault cut the agent off from its commands (the agent or the gateway killed, until the agent was connected
 * again). A run the agent could not be given is {@code Aborted}/{@code DeliveryTimeout} once its delivery deadline
 * passes, and never starts: that is the promised outcome, not a lost run, but only if the deadline really passed while
 * the agent was cut off. On a busy machine a restarted gateway can take most of a minute to be up again (49 s at load
 * 19), which is the stack's whole delivery timeout.
 */
final class CutOffs {

    /** The API's {@code stopplane.api.delivery-timeout}, which the chaos stacks leave at its default. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    /** DescribeInvocations gives CreationTime to the second. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    record Window(Instant from, Instant to) {
    }

    private final List<Window> windows = new CopyOnWriteArrayList<>();

    static CutOffs none() {
        return new CutOffs();
    }

    void add(Instant from, Instant to) {
        windows.add(new Window(from, to));
    }

    /** Whether a run created at {@code created} reached its delivery deadline while the agent was cut off. */
    boolean deadlinePassedWhileCutOff(Instant created) {
        Instant deadline = created.plus(DELIVERY_TIMEOUT);
        return windows.stream().anyMatch(w -> !deadline.isBefore(w.from().minus(SLACK))
                && !deadline.isAfter(w.to().plus(SLACK)));
    }
}
