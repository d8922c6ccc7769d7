package io.stopplane.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
