package io.stopplane.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The progress line on stderr: rewritten in place on a terminal, a line every few seconds otherwise (a log, CI).
 * Shows the phase, its elapsed time, what the phase says about itself, and the machine's load.
 */
final class Progress implements AutoCloseable {

    private static final long TTY_EVERY_NANOS = 250_000_000L;
    private static final long LOG_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream err = System.err;
    private final boolean tty = System.console() != null;
    private final long started = System.nanoTime();
    private final Thread ticker;
    private volatile String phase = "starting";
    private volatile long phaseStarted = System.nanoTime();
    private volatile Supplier<String> detail = () -> "";
    private volatile boolean open = true;
    private int lastWidth;

    Progress() {
        ticker = new Thread(this::tick, "bench-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** A new phase; {@code detail} is asked for the rest of the line at each refresh. */
    synchronized void phase(String name, Supplier<String> detail) {
        clearLine();
        this.phase = name;
        this.detail = detail;
        this.phaseStarted = System.nanoTime();
        err.println("[bench] " + name + " ...");
    }

    /** A line that stays (a phase's result). */
    synchronized void say(String line) {
        clearLine();
        err.println("[bench] " + line);
    }

    private void tick() {
        long every = tty ? TTY_EVERY_NANOS : LOG_EVERY_NANOS;
        while (open) {
            try {
                Thread.sleep(every / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
            print();
        }
    }

    private synchronized void print() {
        if (!open) {
            return;
        }
        String d;
        try {
            d = detail.get();
        } catch (RuntimeException e) {
            d = "";
        }
        String line = String.format("[bench] %s %5.1fs | %s | load %s | total %ds", phase,
                (System.nanoTime() - phaseStarted) / 1e9, d, loadAverage(),
                (System.nanoTime() - started) / 1_000_000_000L);
        if (tty) {
            int pad = Math.max(0, lastWidth - line.length());
            err.print("\r" + line + " ".repeat(pad));
            lastWidth = line.length();
            err.flush();
        } else {
            err.println(line);
        }
    }

    private void clearLine() {
        if (tty && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    @Override
    public synchronized void close() {
        open = false;
        ticker.interrupt();
        clearLine();
    }
}
