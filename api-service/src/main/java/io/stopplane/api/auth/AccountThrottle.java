package io.stopplane.api.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per account, so that one tenant cannot starve the others. {@link #tryAcquire} answers 0 when the
 * request may go ahead, else how many milliseconds to wait (the {@code x-acs-retry-after} of Throttling.User).
 */
public final class AccountThrottle {

    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public AccountThrottle(double ratePerSecond, double burst, LongSupplier nanoClock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.nanoClock = nanoClock;
    }

    public long tryAcquire(String accountId) {
        if (ratePerSecond <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(accountId == null ? "" : accountId, k -> new Bucket(burst, nanoClock.getAsLong()))
                .take(nanoClock.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized long take(long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * ratePerSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerSecond * 1000));
        }
    }
}
