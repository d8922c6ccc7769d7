package io.stopplane.model.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: each wait doubles up to a cap, and is drawn between half of it and all of it, so
 * that a fleet that lost its gateway at the same moment does not come back at the same moment.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;
    private int attempts;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    public synchronized Duration next() {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempts, 30));
        attempts++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    public synchronized void reset() {
        attempts = 0;
    }
}
