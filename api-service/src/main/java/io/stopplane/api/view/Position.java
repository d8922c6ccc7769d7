package io.stopplane.api.view;

import java.util.Comparator;

/**
 * Where an invocation stands in a listing, newest first: creation time descending, then invoke id. The order of every
 * Describe listing (and of their NextToken), kept by the view's indexes so a page is read from its start, not sorted.
 */
public record Position(long time, String id) implements Comparable<Position> {

    private static final Comparator<Position> ORDER = Comparator.comparingLong(Position::time).reversed()
            .thenComparing(Position::id);

    @Override
    public int compareTo(Position other) {
        return ORDER.compare(this, other);
    }
}
