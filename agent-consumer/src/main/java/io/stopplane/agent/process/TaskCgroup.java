package io.stopplane.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One command's cgroup v2: every process the command starts is born in it and cannot leave it (only a writer of
 * {@code cgroup.procs} with rights over both cgroups could move it, and the command's processes run below the agent).
 * {@code cgroup.kill} SIGKILLs every member at once, forks in flight included; {@code cgroup.events} says
 * {@code populated 0} once none is left.
 */
record TaskCgroup(Path dir) {

    /** Stops every member from running (and forking) until {@code false}; takes effect once {@link #frozen()}. */
    void freeze(boolean frozen) {
        write("cgroup.freeze", frozen ? "1" : "0");
    }

    /** SIGKILL to every member, atomically. */
    void kill() {
        write("cgroup.kill", "1");
    }

    /** The members' pids; while frozen, none of them can exit, so none of these pids can be reused meanwhile. */
    List<Long> procs() {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (NoSuchFileException e) {
            return pids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("cgroup.procs"), e);
        }
        return pids;
    }

    /** Some process is still in it; false once it is empty or gone. */
    boolean populated() {
        return "1".equals(event("populated"));
    }

    /** Frozen, or nothing left to freeze. */
    boolean frozenOrEmpty() {
        return !populated() || "1".equals(event("frozen"));
    }

    /** rmdir: only an empty cgroup can be removed; true once it is gone. */
    boolean remove() {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false; // still populated (EBUSY)
        }
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    private String event(String name) {
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.events"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(name + " ")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
        } catch (IOException e) {
            return null; // removed: nothing in it
        }
        return null;
    }

    private void write(String file, String value) {
        try {
            // WRITE alone: never create a file where a cgroup's control file should be
            Files.writeString(dir.resolve(file), value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            // removed already: nothing left to signal
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                // emptied and removed between the open and the write (the kernel answers ENOENT as a plain I/O
                // error then): nothing left to signal or thaw
                return;
            }
            throw new UncheckedIOException("cannot write " + value + " to " + dir.resolve(file), e);
        }
    }
}
