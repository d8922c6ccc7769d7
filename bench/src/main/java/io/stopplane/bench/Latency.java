package io.stopplane.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution in microseconds (1 µs to 10 minutes, 3 significant digits), recorded from any thread. Values
 * recorded while warming up go nowhere.
 */
final class Latency {

    private static final long MAX_MICROS = 600_000_000L;

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);
    private volatile boolean counting;

    void counting(boolean on) {
        counting = on;
    }

    boolean counting() {
        return counting;
    }

    void recordNanos(long nanos) {
        if (counting) {
            recorder.recordValue(Math.max(1, Math.min(MAX_MICROS, nanos / 1000)));
        }
    }

    /** Everything recorded so far (taken from the recorder; cheap enough to call for a progress line). */
    synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    static String brief(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "n=0";
        }
        return String.format("n=%d p50 %.1f p99 %.1f max %.1f ms", h.getTotalCount(), ms(h, 50), ms(h, 99), maxMs(h));
    }

    /** p50/p90/p99/p99.9/max in ms, rounded to 0.01. */
    static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(ms(h, 50)));
        m.put("p90", round(ms(h, 90)));
        m.put("p99", round(ms(h, 99)));
        m.put("p99_9", round(ms(h, 99.9)));
        m.put("max", round(maxMs(h)));
        m.put("count", h.getTotalCount());
        return m;
    }

    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
    }
}
