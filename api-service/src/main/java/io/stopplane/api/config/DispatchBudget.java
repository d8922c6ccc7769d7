package io.stopplane.api.config;

import java.time.Duration;

/**
 * How the dispatch timeout is spent, so that a client hears InternalError.Dispatch in bounded time when the broker is
 * gone. The sends get the timeout less one step; each blocking producer call (init, metadata, commit, abort) gets one
 * step; closing a failed producer one second. Worst failure path: a metadata wait past the sends deadline, an
 * abort, a close: timeout + one step + 1 s, under 8 s for the default 5 s.
 *
 * @param timeout {@code stopplane.api.dispatch-timeout}
 */
public record DispatchBudget(Duration timeout) {

    public DispatchBudget {
        if (timeout.toMillis() < 300) {
            throw new IllegalArgumentException("dispatch-timeout must be at least 300ms: " + timeout);
        }
    }

    /** The bound of one blocking producer call. */
    public Duration step() {
        return timeout.dividedBy(3);
    }

    /** How long the sends of one transaction may take to be acknowledged. */
    public Duration sends() {
        return timeout.minus(step());
    }

    /** Longer than any transaction the API runs, so the coordinator aborts only abandoned ones. */
    public Duration transactionTimeout() {
        Duration twice = timeout.multipliedBy(2);
        return twice.compareTo(Duration.ofSeconds(10)) > 0 ? twice : Duration.ofSeconds(10);
    }
}
