package io.stopplane.agent.task;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.stopplane.model.json.StopPlaneJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One instance's append-only file of JSON lines. An append is forced to the disk before it returns (fdatasync), so a
 * fact the agent acted on survives a crash or a power cut; the one kind of entry whose loss only repeats a report (a
 * broker acknowledgement) is written without forcing and reaches the disk with the next forced one. A line torn by a crash is skipped when read, and the file is
 * rewritten whole at start-up, so an append never lands after a torn line.
 */
final class JournalFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalFile.class);
    private static final JsonMapper JSON = StopPlaneJson.mapper();

    private final Path path;
    private FileChannel channel;
    private long size;

    JournalFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Bytes in the file as last written. */
    synchronized long size() {
        return size;
    }

    /** The entries that can be read; torn or unreadable lines are logged and skipped. */
    List<JournalEntry> read() {
        List<JournalEntry> entries = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(path, UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    entries.add(JSON.readValue(line, JournalEntry.class));
                } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
                    log.warn("Skipping unreadable line {} of {} (torn by a crash?): {}", number, path, e.toString());
                }
            }
        } catch (NoSuchFileException e) {
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + path, e);
        }
        return entries;
    }

    /** Replaces the file atomically with {@code entries} and opens it for appending. */
    synchronized void rewrite(List<JournalEntry> entries) {
        try {
            Files.createDirectories(path.getParent());
            Path next = path.resolveSibling(path.getFileName() + ".next");
            long written = 0;
            try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (JournalEntry entry : entries) {
                    written += writeFully(out, line(entry));
                }
                out.force(true);
            }
            Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(path.getParent());
            close();
            channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            size = written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + path, e);
        }
    }

    synchronized void append(JournalEntry entry) {
        append(entry, true);
    }

    /** @param force false: written, but durable only at the next {@link #force()} (or forced append) */
    synchronized void append(JournalEntry entry, boolean force) {
        if (channel == null) {
            throw new IllegalStateException("journal " + path + " is not open");
        }
        try {
            size += writeFully(channel, line(entry));
            if (force) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + path, e);
        }
    }

    synchronized void force() {
        if (channel == null) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force the journal " + path, e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("Closing {} failed: {}", path, e.toString());
            }
            channel = null;
        }
    }

    private static ByteBuffer line(JournalEntry entry) {
        return ByteBuffer.wrap((JSON.writeValueAsString(entry) + "\n").getBytes(UTF_8));
    }

    private static int writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        return length;
    }

    // The rename is durable only once the directory entry is.
    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
