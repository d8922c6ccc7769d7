package io.stopplane.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Process checks that see through zombies: a killed process waiting to be reaped is not running. */
final class Processes {

    private Processes() {
    }

    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            // the state is the first field after the parenthesised command name
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // gone while we looked
        }
    }

    /** A sleep duration no other process on this machine has, so a test finds exactly its own processes. */
    static String uniqueSleep() {
        return "3000." + Math.abs(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L))
                + UUID.randomUUID().toString().replaceAll("[^0-9]", "").substring(0, 4);
    }

    /** The {@code sleep} processes started with {@code marker} (from {@link #uniqueSleep}). */
    static List<ProcessHandle> sleeps(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("sleep " + marker)).orElse(false)
                        || p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                .toList();
    }
}
