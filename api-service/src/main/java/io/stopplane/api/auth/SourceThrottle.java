package io.stopplane.api.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The throttle before authentication, per source address: a source whose requests failed authentication more than
 * {@code failuresPerWindow} times within the current one-second window is refused outright (Throttling) until the window
 * ends, before any signature work. Only failures are charged, so honest traffic is limited by the account throttle
 * alone; but every request of a throttled address is refused, its good ones too (an address cannot tell its clients
 * apart). Fixed windows: a source may fail up to twice the limit across a window boundary. Bounded: a window's counters
 * are dropped whole when it ends, and beyond {@code maxSources} addresses in one window the newcomers share one
 * counter (a flood from many addresses throttles them together, never grows the map).
 */
public final class SourceThrottle {

    static final long WINDOW_NANOS = 1_000_000_000L;
    private static final String OVERFLOW = "*";

    private final int failuresPerWindow;
    private final int maxSources;
    private final LongSupplier nanoClock;
    private volatile Window window;

    private record Window(long index, Map<String, AtomicInteger> failures) {
    }

    /** @param failuresPerWindow 0 turns it off */
    public SourceThrottle(int failuresPerWindow, int maxSources, LongSupplier nanoClock) {
        this.failuresPerWindow = failuresPerWindow;
        this.maxSources = maxSources;
        this.nanoClock = nanoClock;
        this.window = new Window(nanoClock.getAsLong() / WINDOW_NANOS, new ConcurrentHashMap<>());
    }

    /** 0 when the source may go on; else how many milliseconds until its window ends. */
    public long retryAfter(String source) {
        if (failuresPerWindow <= 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        Window w = current(now);
        AtomicInteger failures = w.failures().get(source);
        if (failures == null && w.failures().size() >= maxSources) {
            failures = w.failures().get(OVERFLOW);
        }
        if (failures == null || failures.get() < failuresPerWindow) {
            return 0;
        }
        return Math.max(1, ((w.index() + 1) * WINDOW_NANOS - now) / 1_000_000);
    }

    /** A request from this source failed authentication. */
    public void failed(String source) {
        if (failuresPerWindow <= 0) {
            return;
        }
        Map<String, AtomicInteger> failures = current(nanoClock.getAsLong()).failures();
        String key = failures.containsKey(source) || failures.size() < maxSources ? source : OVERFLOW;
        failures.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private Window current(long now) {
        long index = now / WINDOW_NANOS;
        Window w = window;
        if (w.index() != index) {
            // a lost race only loses the other thread's fresh window of a few counts: approximate by design
            w = new Window(index, new ConcurrentHashMap<>());
            window = w;
        }
        return w;
    }
}
