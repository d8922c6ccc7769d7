package io.stopplane.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Finds the processes a test started, by a marker unique to the test in their command line. */
public final class Processes {

    private Processes() {
    }

    /** A number of seconds to sleep that no other process on the machine has in its command line. */
    public static String uniqueSleepSeconds() {
        return "300." + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
    }

    /** Running (not zombie) processes whose command line contains {@code marker}. */
    public static List<ProcessHandle> running(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .filter(Processes::isRunning)
                .toList();
    }

    /** Running {@code sleep} processes with the marker: the shell that started them is not counted. */
    public static List<ProcessHandle> sleeping(String marker) {
        return running(marker).stream()
                .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .toList();
    }

    /**
     * Alive and not a zombie: killed orphans stay zombies until the machine's init reaps them, slowly or never in some
     * containers, and the JDK counts zombies as alive.
     */
    public static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Safety net for a failed test: SIGKILL whatever is left with the marker. */
    public static void killAll(String marker) {
        running(marker).forEach(ProcessHandle::destroyForcibly);
    }
}
