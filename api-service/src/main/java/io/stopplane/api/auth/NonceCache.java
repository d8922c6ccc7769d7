package io.stopplane.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nonces whose request could still be replayed, bounded and expired in O(1). A signed request is accepted while its
 * (signed) timestamp is within the window of now, so its nonce must be remembered until {@code timestamp + window} and
 * not a moment longer. Nonces are kept in one set per minute of that expiry: a whole minute's set is dropped at once
 * when it has passed, and a look-up asks the at most {@code 2 × window + 1} minutes that can be alive, whatever the
 * number of nonces. At {@code capacity} nonces new ones are refused (the caller answers Throttling): a replay check that
 * forgets would be no check.
 */
final class NonceCache {

    /** What {@link #firstUse} found. */
    enum Use { FIRST, REPLAY, FULL }

    private static final long BUCKET_MILLIS = 60_000;

    private final Duration window;
    private final long capacity;
    private final ConcurrentSkipListMap<Long, Set<String>> byExpiryMinute = new ConcurrentSkipListMap<>();
    private final AtomicLong size = new AtomicLong();

    NonceCache(Duration window, long capacity) {
        this.window = window;
        this.capacity = capacity;
    }

    /** Records this key's nonce of a request signed at {@code at}, unless it was seen (or there is no room). */
    Use firstUse(String accessKeyId, String nonce, Instant at, Instant now) {
        expire(now);
        String key = key(accessKeyId, nonce);
        for (Set<String> minute : byExpiryMinute.values()) {
            if (minute.contains(key)) {
                return Use.REPLAY;
            }
        }
        if (size.get() >= capacity) {
            return Use.FULL;
        }
        return add(key, at) ? Use.FIRST : Use.REPLAY;
    }

    /** A nonce another replica accepted: remembered as if accepted here (nothing when already expired or full). */
    void remember(String key, Instant at, Instant now) {
        expire(now);
        if (at.plus(window).isAfter(now) && size.get() < capacity) {
            add(key, at);
        }
    }

    boolean contains(String accessKeyId, String nonce) {
        String key = key(accessKeyId, nonce);
        return byExpiryMinute.values().stream().anyMatch(m -> m.contains(key));
    }

    long size() {
        return size.get();
    }

    /** How replicas name a nonce to each other: unique per key, as nonces are. */
    static String key(String accessKeyId, String nonce) {
        return accessKeyId + '\n' + nonce;
    }

    private boolean add(String key, Instant at) {
        long minute = Math.floorDiv(at.plus(window).toEpochMilli(), BUCKET_MILLIS);
        // two copies of one request race here: the set lets one in (same timestamp, same minute)
        boolean added = byExpiryMinute.computeIfAbsent(minute, m -> ConcurrentHashMap.newKeySet()).add(key);
        if (added) {
            size.incrementAndGet();
        }
        return added;
    }

    /** Drops each minute whose nonces have all expired: one map removal per minute, not one per nonce. */
    private void expire(Instant now) {
        long current = Math.floorDiv(now.toEpochMilli(), BUCKET_MILLIS);
        for (Map.Entry<Long, Set<String>> first = byExpiryMinute.firstEntry(); first != null && first.getKey() < current;
                first = byExpiryMinute.firstEntry()) {
            if (byExpiryMinute.remove(first.getKey(), first.getValue())) {
                size.addAndGet(-first.getValue().size());
            }
        }
    }
}
