package io.stopplane.api.view;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One index: entries in order, with their count and a weight summed over them (a skip list's own size() walks it).
 * Changed only inside the compute of the map that holds it, so count and entries move together.
 */
final class Shelf<K extends Comparable<K>, V> {

    private final ConcurrentSkipListMap<K, V> entries = new ConcurrentSkipListMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong weight = new AtomicLong();

    void put(K key, V value, long weightOf) {
        if (entries.put(key, value) == null) {
            count.incrementAndGet();
            weight.addAndGet(weightOf);
        }
    }

    void remove(K key, long weightOf) {
        if (entries.remove(key) != null) {
            count.decrementAndGet();
            weight.addAndGet(-weightOf);
        }
    }

    boolean isEmpty() {
        return count.get() == 0;
    }

    int count() {
        return count.get();
    }

    long weight() {
        return weight.get();
    }

    /** The values from {@code from} on (inclusive; null: from the first), in order, read lazily. */
    Stream<V> from(K from) {
        return (from == null ? entries : entries.tailMap(from, true)).values().stream();
    }
}
