package io.stopplane.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Live processes found through {@code /proc}; a zombie waiting to be reaped is not alive. */
public final class ProcScan {

    private ProcScan() {
    }

    /** "pid command line" of every live process (but this one) whose command line contains {@code marker}. */
    public static List<String> withCommandLine(String marker) {
        return scan(marker, false);
    }

    /** The same, looking in the command line or the environment (children inherit the launcher's marker). */
    public static List<String> withCommandLineOrEnvironment(String marker) {
        return scan(marker, true);
    }

    private static List<String> scan(String marker, boolean environment) {
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                String cmdline = read(p.resolve("cmdline"));
                boolean hit = cmdline.contains(marker)
                        || (environment && read(p.resolve("environ")).contains(marker));
                if (hit && alive(pid)) {
                    found.add(pid + " " + cmdline.replace('\0', ' ').strip());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    public static boolean alive(long pid) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        return state != 'Z' && state != 'X';
    }

    /** Its process group, from /proc/pid/stat (state ppid pgrp after the command's parenthesis); -1 if gone. */
    public static long processGroup(long pid) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] f = stat.substring(close + 2).split(" ");
        return f.length > 2 ? Long.parseLong(f[2]) : -1;
    }

    /** A file of /proc/pid ({@code cmdline}, {@code environ}, …); empty if the process is gone or not ours to read. */
    public static String procFile(long pid, String file) {
        return read(Path.of("/proc", String.valueOf(pid), file));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return ""; // gone, or not ours to read
        }
    }
}
