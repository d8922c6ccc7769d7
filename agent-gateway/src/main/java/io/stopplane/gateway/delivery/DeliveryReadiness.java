package io.stopplane.gateway.delivery;

import java.util.function.BooleanSupplier;

/**
 * Whether delivery may welcome an agent: both readers have read what their topics held at start-up. Before that, a
 * welcome batch could miss a stop whose run it holds, and the run would start.
 */
public final class DeliveryReadiness {

    private final BooleanSupplier feed;
    private final BooleanSupplier finals;

    DeliveryReadiness(BooleanSupplier feed, BooleanSupplier finals) {
        this.feed = feed;
        this.finals = finals;
    }

    public boolean ready() {
        return feed.getAsBoolean() && finals.getAsBoolean();
    }
}
