package io.stopplane.audit.replay;

import java.io.PrintStream;

/**
 * Records read and the rate, on one self-overwriting stderr line, at most twice a second: only for a person at a
 * terminal, never in a pipe or a log.
 */
public final class Progress {

    private static final long INTERVAL_NANOS = 500_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private String label = "";
    private long records;
    private long started;
    private long lastPrinted;
    private int width;

    public Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    public static Progress none() {
        return new Progress(System.err, false);
    }

    public boolean enabled() {
        return enabled;
    }

    void start(String label) {
        this.label = label;
        this.records = 0;
        this.started = System.nanoTime();
        this.lastPrinted = started;
    }

    void add(long count) {
        records += count;
        long now = System.nanoTime();
        if (enabled && now - lastPrinted >= INTERVAL_NANOS) {
            lastPrinted = now;
            print(String.format("[audit] %s: %,d records read, %,.0f/s", label, records, rate(now)));
        }
    }

    void finish(ReplayStats stats) {
        if (enabled) {
            print("[audit] " + stats);
            err.println();
            width = 0;
        }
    }

    /** Over the line printed last, blanking what it had more. */
    private void print(String line) {
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = line.length();
    }

    private double rate(long now) {
        double seconds = (now - started) / 1e9;
        return seconds <= 0 ? 0 : records / seconds;
    }
}
