package io.stopplane.agent.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The two fields of {@code /proc/<pid>/stat} that the JDK does not expose: the scheduler state and the process group.
 * The JDK counts a zombie as alive, and orphans of a killed tree stay zombies until their new parent reaps them, which in
 * some containers is slow or never; without this a grace period would always run to its end.
 */
record ProcStat(char state, long processGroup) {

    static Optional<ProcStat> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may itself contain spaces and parentheses: parse after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new ProcStat(fields[0].charAt(0), Long.parseLong(fields[2])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Alive and not a zombie; where there is no /proc, whatever the JDK says. */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        return of(process.pid()).map(s -> s.state() != 'Z' && s.state() != 'X').orElseGet(process::isAlive);
    }
}
