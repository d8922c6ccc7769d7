package io.stopplane.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the machine's CPU went during a phase, from {@code /proc}: each part of the stack with every process under it
 * (the agent's commands, wrappers and the helpers they spawn included, alive or already reaped), this bench, and the
 * rest of the machine. On a 2-core machine shared by everything, this is what bounds a measurement. A reaped child's
 * time is exact (the kernel adds it to its parent's cutime at exit); a live short-lived process is read from its
 * schedstat, as the tick-sampled utime/stime of a process that ran a few milliseconds is mostly zero.
 */
final class CpuAccount {

    private static final Path PROC = Path.of("/proc");
    private static final double HZ = 100.0; // USER_HZ, 100 on every Linux the JDK runs on
    private static final long MICROS_PER_TICK = 10_000L;

    private final Map<String, Long> parts; // part -> pid
    private Snapshot start;

    private record Snapshot(long nanos, Map<String, Double> seconds, double machineSeconds) {
    }

    /** @param pidsDir the launcher's {@code pids} directory, or null: the stack then counts as "other" */
    CpuAccount(Path pidsDir) {
        parts = new LinkedHashMap<>();
        if (pidsDir != null) {
            for (String part : List.of("kafka", "api-service", "dispatcher", "agent-gateway", "agent-consumer")) {
                try {
                    parts.put(part, Long.parseLong(Files.readString(pidsDir.resolve(part + ".pid")).trim()));
                } catch (IOException | NumberFormatException e) {
                    // not running, or not ours
                }
            }
        }
        parts.put("bench", ProcessHandle.current().pid());
    }

    void start() {
        start = snapshot();
    }

    /** CPU seconds per part since {@link #start()}, plus "other" and "total", and "elapsed" wall seconds. */
    Map<String, Double> stop() {
        Snapshot end = snapshot();
        Map<String, Double> out = new LinkedHashMap<>();
        double ours = 0;
        for (String part : end.seconds.keySet()) {
            double used = end.seconds.get(part) - start.seconds.getOrDefault(part, 0.0);
            if (used > 0.005 || !part.endsWith(" children")) {
                out.put(part, round(Math.max(0, used)));
            }
            ours += Math.max(0, used);
        }
        double total = end.machineSeconds - start.machineSeconds;
        out.put("other", round(Math.max(0, total - ours)));
        out.put("total", round(total));
        out.put("elapsed", round((end.nanos - start.nanos) / 1e9));
        return out;
    }

    private Snapshot snapshot() {
        Map<Long, long[]> stats = new HashMap<>(); // pid -> {ppid, self µs, reaped children µs}
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String s = Files.readString(p.resolve("stat"));
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    long self = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MICROS_PER_TICK;
                    if (!parts.containsValue(pid) && Integer.parseInt(f[17]) == 1) {
                        // A short-lived single-threaded process is rarely caught by the tick that utime/stime count:
                        // its precise run time (ns) is in schedstat (its reaped total lands in its parent's cutime).
                        self = preciseMicros(p, self);
                    }
                    stats.put(pid, new long[] {Long.parseLong(f[1]), self,
                        (Long.parseLong(f[13]) + Long.parseLong(f[14])) * MICROS_PER_TICK});
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return new Snapshot(System.nanoTime(), Map.of(), 0);
        }
        Map<Long, String> owner = new HashMap<>();
        parts.forEach((part, pid) -> owner.put(pid, part));
        Map<String, Double> seconds = new LinkedHashMap<>();
        parts.keySet().forEach(p -> {
            seconds.put(p, 0.0);
            seconds.put(p + " children", 0.0);
        });
        for (Map.Entry<Long, long[]> e : stats.entrySet()) {
            String part = partOf(e.getKey(), stats, owner);
            if (part != null) {
                // The part's own process, and what it started (running, or reaped: their time is in its children's)
                boolean self = parts.get(part) == e.getKey().longValue();
                seconds.merge(part, (self ? e.getValue()[1] : 0) / 1e6, Double::sum);
                seconds.merge(part + " children", (e.getValue()[2] + (self ? 0 : e.getValue()[1])) / 1e6,
                        Double::sum);
            }
        }
        return new Snapshot(System.nanoTime(), seconds, machineSeconds());
    }

    private static long preciseMicros(Path proc, long fallback) {
        try {
            String first = Files.readString(proc.resolve("schedstat")).trim().split(" ")[0];
            return Long.parseLong(first) / 1000L; // ns to µs
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    private static String partOf(long pid, Map<Long, long[]> stats, Map<Long, String> owner) {
        long p = pid;
        for (int depth = 0; depth < 64 && p > 1; depth++) {
            String part = owner.get(p);
            if (part != null) {
                return part;
            }
            long[] s = stats.get(p);
            if (s == null) {
                return null;
            }
            p = s[0];
        }
        return null;
    }

    private static double machineSeconds() {
        try {
            String[] f = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // not idle, not iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / HZ;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
