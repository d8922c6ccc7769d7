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
}
