package io.stopplane.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Nonces seen within the timestamp window: a nonce used twice within it is a replay. */
final class NonceCache {

    private final Duration window;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final AtomicLong inserts = new AtomicLong();

    NonceCache(Duration window) {
        this.window = window;
    }

    /** True the first time this key's nonce is seen within the window. */
    boolean firstUse(String accessKeyId, String nonce, Instant now) {
        if (inserts.incrementAndGet() % 1024 == 0) {
            seen.values().removeIf(expiry -> expiry.isBefore(now));
        }
        Instant expiry = now.plus(window).plus(window); // a timestamp may be up to one window in the future
        Instant previous = seen.putIfAbsent(accessKeyId + '\n' + nonce, expiry);
        if (previous != null && previous.isBefore(now)) {
            seen.put(accessKeyId + '\n' + nonce, expiry);
            return true;
        }
        return previous == null;
    }
}
