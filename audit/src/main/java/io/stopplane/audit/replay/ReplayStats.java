package io.stopplane.audit.replay;

import java.time.Duration;

/** What one read of a topic cost: records handed to the sink, their bytes, and the wall time. */
public record ReplayStats(String topic, long records, long bytes, Duration elapsed) {

    public double recordsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? records : records / seconds;
    }

    @Override
    public String toString() {
        return String.format("%s: %,d records (%,.1f MB) in %.2f s, %,.0f records/s", topic, records, bytes / 1e6,
                elapsed.toNanos() / 1e9, recordsPerSecond());
    }
}
