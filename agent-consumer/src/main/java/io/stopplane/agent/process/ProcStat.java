package io.stopplane.agent.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} that the JDK does not expose: the scheduler state, the parent, the process
 * group and the start time. The JDK counts a zombie as alive, and orphans of a killed tree stay zombies until their new
 * parent reaps them, which in some containers is slow or never; without this a grace period would always run to its
 * end. The start time (clock ticks since boot) tells a process from a later one that reuses its pid.
 */
record ProcStat(char state, long parent, long processGroup, long startTicks) {

    static Optional<ProcStat> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may itself contain spaces and parentheses: parse after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new ProcStat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                    Long.parseLong(fields[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Alive and not a zombie; where there is no /proc, whatever the JDK says. */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        return of(process.pid()).map(ProcStat::running).orElseGet(process::isAlive);
    }

    /**
     * Running, and the very process that was started at {@code startTicks}; a start time that was never read (0) proves
     * nothing, as the pid may have been reused since.
     */
    static boolean isRunning(long pid, long startTicks) {
        return pid > 0 && startTicks > 0 && of(pid).filter(ProcStat::running)
                .filter(s -> s.startTicks() == startTicks)
                .isPresent();
    }

    static long startTicksOf(long pid) {
        return of(pid).map(ProcStat::startTicks).orElse(0L);
    }

    boolean running() {
        return state != 'Z' && state != 'X';
    }
}
