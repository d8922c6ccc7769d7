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
import java.nio.file.OpenOption;
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
 * The agent's append-only file of JSON lines, with group commit: an append only writes (no system call waits for the
 * disk), and {@link #awaitDurable(long)} returns once a flush (fdatasync) that began after that append has ended. The
 * first waiter that finds no flush running starts one for everything appended so far; those who come meanwhile wait
 * for it and the next one, so that however many threads write, one flush is running at a time and each covers all
 * that was written before it. A line torn by a crash is skipped when read, and the file is rewritten whole at
 * start-up, so an append never lands after a torn line.
 *
 * <p>Every method is synchronized on this object; the {@link FileTaskJournal} holds it too while it appends and
 * folds an entry into its memory, so that a rewrite sees every entry appended before it.
 */
final class JournalFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalFile.class);
    private static final JsonMapper JSON = StopPlaneJson.mapper();

    /** How the file is opened: {@link FileChannel#open}, or a test's disk that can lose what was not flushed. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    private final Path path;
    private final Opener opener;
    private FileChannel channel;
    private long size;
    // Entries ever appended to this object, and how many of them a finished flush (or rewrite) covers.
    private long appended;
    private long durable;
    private boolean flushing;
    private long flushes;
    // After a failed flush the kernel may have dropped the unwritten pages and a later flush would succeed without
    // them: nothing is durable any more.
    private IOException failed;

    JournalFile(Path path, Opener opener) {
        this.path = path;
        this.opener = opener;
    }

    Path path() {
        return path;
    }

    /** Bytes in the file as last written. */
    synchronized long size() {
        return size;
    }

    /** Flushes done since the file was opened: what group commit saves is seen here. */
    synchronized long flushes() {
        return flushes;
    }

    /** The entries that can be read; torn or unreadable lines are logged and skipped. */
    List<JournalEntry> read() {
        return read(path);
    }

    static List<JournalEntry> read(Path path) {
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

    /**
     * Replaces the file atomically with {@code entries}, durably, and opens it for appending. The caller's entries
     * must include what every earlier append said: all of them count as durable afterwards. Waits for a flush in
     * progress first, since it flushes the channel this closes.
     */
    synchronized void rewrite(List<JournalEntry> entries) {
        awaitNoFlush();
        try {
            Files.createDirectories(path.getParent());
            Path next = path.resolveSibling(path.getFileName() + ".next");
            long written = 0;
            try (FileChannel out = opener.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (JournalEntry entry : entries) {
                    written += writeFully(out, line(entry));
                }
                out.force(true);
            }
            Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(path.getParent());
            close();
            channel = opener.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            size = written;
            durable = appended;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + path, e);
        }
    }

    /**
     * Writes one line, not yet durable.
     *
     * @return the entry's sequence number, for {@link #awaitDurable(long)}
     */
    synchronized long append(JournalEntry entry) {
        checkUsable();
        try {
            size += writeFully(channel, line(entry));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + path, e);
        }
        return ++appended;
    }

    /** Returns once the entry of sequence number {@code seq}, and every one before it, is on the disk. */
    void awaitDurable(long seq) {
        while (true) {
            FileChannel flushed;
            long upTo;
            synchronized (this) {
                while (flushing && durable < seq) {
                    waitUninterruptibly();
                }
                if (durable >= seq) {
                    return;
                }
                checkUsable();
                flushing = true;
                flushed = channel;
                upTo = appended;
            }
            IOException failure = null;
            try {
                flushed.force(false);
            } catch (IOException e) {
                failure = e;
            }
            synchronized (this) {
                flushing = false;
                flushes++;
                if (failure == null) {
                    durable = Math.max(durable, upTo);
                } else if (failed == null) {
                    failed = failure;
                    log.error("Flushing the journal {} failed: the agent can journal nothing more", path, failure);
                }
                notifyAll();
            }
            if (failure != null) {
                throw new UncheckedIOException("cannot flush the journal " + path, failure);
            }
        }
    }

    @Override
    public synchronized void close() {
        awaitNoFlush();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("Closing {} failed: {}", path, e.toString());
            }
            channel = null;
        }
    }

    private void checkUsable() {
        if (failed != null) {
            throw new UncheckedIOException("the journal " + path + " could not be flushed", failed);
        }
        if (channel == null) {
            throw new IllegalStateException("journal " + path + " is not open");
        }
    }

    /** Holding this object's lock: returns once no flush runs (it may wait, letting others in meanwhile). */
    void awaitNoFlush() {
        while (flushing) {
            waitUninterruptibly();
        }
    }

    // A flush takes milliseconds; an interrupt must not let a caller think its entry durable.
    private void waitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                wait();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
