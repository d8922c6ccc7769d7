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
        String load;
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            load = f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            load = "?";
        }
        return Runtime.getRuntime().availableProcessors() + " cores, load average " + load + ", " + processes
                + " processes";
    }
}
