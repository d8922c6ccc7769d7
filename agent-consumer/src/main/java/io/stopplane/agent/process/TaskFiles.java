package io.stopplane.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import org.springframework.util.FileSystemUtils;

/**
 * The files {@link ShellLauncher}'s wrapper writes for one task, in the journal's directory so that they outlive the
 * agent: {@code pid} (the command's shell), {@code exit} (its exit status, written once it was reaped), {@code out} (the
 * first 24 KB of its merged stdout and stderr) and {@code dropped} (how many bytes came after, written at end of
 * output). Each is one line written at once into a new file; a file without its final newline (still being written,
 * or cut by a crash) counts as absent, so each is either absent or complete.
 */
record TaskFiles(Path dir) {

    /** A fresh directory: whatever a crashed earlier attempt left is removed. */
    static TaskFiles create(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
            Files.createDirectories(dir);
            return new TaskFiles(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    Path pidFile() {
        return dir.resolve("pid");
    }

    OptionalLong pid() {
        Optional<Long> pid = readNumber(pidFile());
        return pid.isPresent() ? OptionalLong.of(pid.get()) : OptionalLong.empty();
    }

    OptionalInt exitCode() {
        Optional<Long> code = readNumber(dir.resolve("exit"));
        return code.isPresent() ? OptionalInt.of(code.get().intValue()) : OptionalInt.empty();
    }

    /** Completes once the wrapper wrote the exit status (see {@link FileEvents} for the thread it completes on). */
    CompletableFuture<Void> exitWritten(FileEvents events) {
        return events.when(dir, () -> exitCode().isPresent());
    }

    /**
     * Completes once the output is final ({@code dropped} written at end of output), or after {@code atMost}: a
     * background process of a command that exited may hold the output open forever.
     */
    CompletableFuture<Void> outputFinal(FileEvents events, Duration atMost) {
        Path dropped = dir.resolve("dropped");
        return events.when(dir, () -> readNumber(dropped).isPresent())
                .exceptionally(gone -> null)
                .completeOnTimeout(null, atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits up to {@code atMost} for the end of the output, then reads it. */
    BoundedOutput.Captured output(Duration atMost) {
        if (!atMost.isZero()) {
            outputFinal(FileEvents.shared(), atMost).join();
        }
        return output();
    }

    /** The output as it is now. */
    BoundedOutput.Captured output() {
        BoundedOutput output = new BoundedOutput();
        try (InputStream in = Files.newInputStream(dir.resolve("out"))) {
            byte[] kept = in.readNBytes(BoundedOutput.LIMIT);
            output.write(kept, 0, kept.length);
        } catch (IOException e) {
            // no output, or it is gone: report none
        }
        readNumber(dir.resolve("dropped")).ifPresent(output::skipped);
        return output.captured();
    }

    /** The files the wrapper writes (see {@link ShellLauncher}). */
    private static final List<String> NAMES = List.of("pid", "exit", "out", "dropped", "fifo", "wrapper.log");

    void delete() {
        // The known files one by one, then the directory: no directory walk (profiled: the walk was a fifth of the
        // agent's CPU when a fan-out stopped 1,000 commands). Anything else in it: the walk after all.
        try {
            for (String name : NAMES) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            FileSystemUtils.deleteRecursively(dir.toFile());
        }
    }

    private static Optional<Long> readNumber(Path file) {
        try {
            String line = Files.readString(file, StandardCharsets.US_ASCII);
            if (!line.endsWith("\n")) {
                return Optional.empty(); // not written yet (or cut by a crash)
            }
            return Optional.of(Long.parseLong(line.trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
