package io.stopplane.chaos;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What else the machine is doing: timing bounds mean little without it. */
final class Host {

    private Host() {
    }

    static String describe() {
        int processes = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path ignored : procs) {
                processes++;
            }
        } catch (IOException e) {
            processes = -1;
        }
        String[] f = loadAverages();
        String load = f.length < 3 ? "?" : f[0] + " " + f[1] + " " + f[2];
        return Runtime.getRuntime().availableProcessors() + " cores, load average " + load + ", " + processes
                + " processes";
    }

    /** The 1-minute load average (NaN if /proc does not say). */
    static double loadAverage() {
        String[] f = loadAverages();
        return f.length == 0 ? Double.NaN : Double.parseDouble(f[0]);
    }

    private static String[] loadAverages() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ");
        } catch (IOException | RuntimeException e) {
            return new String[0];
        }
    }

    /**
     * Notices the machine freezing: a thread that sleeps 100 ms at a time and counts each wake-up more than 2 s late.
     * On a shared machine every process can stop for seconds at once (seen: 18 s, the services' logs all silent); a
     * client's bound then fails for a reason no part of the stack caused, and the run's notes say so.
     */
    static final class StallWatch implements AutoCloseable {

        private static final long TICK_MILLIS = 100;
        private static final long STALL_MILLIS = 2000;

        private final Thread thread = new Thread(this::watch, "chaos-stall-watch");
        private volatile boolean running = true;
        private int stalls;
        private long longestMillis;
        private java.time.Instant longestAt;

        StallWatch() {
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            while (running) {
                long before = System.nanoTime();
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                long late = (System.nanoTime() - before) / 1_000_000 - TICK_MILLIS;
                if (late > STALL_MILLIS) {
                    synchronized (this) {
                        stalls++;
                        if (late > longestMillis) {
                            longestMillis = late;
                            longestAt = java.time.Instant.now().minusMillis(late)
                                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                        }
                    }
                }
            }
        }

        synchronized String summary() {
            return stalls == 0 ? "host stalls (a 100 ms sleep of the suite woke more than 2 s late): none"
                    : String.format(java.util.Locale.ROOT, "host stalls (a 100 ms sleep of the suite woke more than "
                            + "2 s late): %d, the longest %.1f s from %s", stalls, longestMillis / 1e3, longestAt);
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
