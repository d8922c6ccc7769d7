package io.stopplane.agent.task;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.HostedInstances;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The durable {@link TaskJournal}: one append-only file, {@code <state-dir>/journal/journal.jsonl}, for every hosted
 * instance, a few short JSON lines per task, made durable by group commit (see {@link JournalFile}): the intake's
 * batch, the threads that watch and kill commands and the reports' acknowledgements share each fdatasync rather than
 * paying one per record and instance file. At start-up the file (and the per-instance files of older agents, which
 * are then removed) is read, folded per task and rewritten compacted, forgetting tasks over and reported longer ago
 * than the retention; a file that has doubled since is compacted the same way from memory while the agent runs.
 */
@Component
public class FileTaskJournal implements TaskJournal, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FileTaskJournal.class);
    private static final long COMPACT_AT_LEAST = 4L * 1024 * 1024;
    static final String FILE_NAME = "journal.jsonl";

    private final Path dir;
    private final Set<InstanceId> hosted;
    private final Clock clock;
    private final Duration retention;
    private final long compactAtLeast;
    private final JournalFile file;
    private final Map<TaskKey, TaskHistory> tasks = new ConcurrentHashMap<>();
    private final List<Leftover> leftovers = new ArrayList<>();
    private long compactAt; // guarded by file
    // Within batch(): the highest sequence number this thread wrote that must be durable when the batch ends.
    private final ThreadLocal<long[]> batchEnd = new ThreadLocal<>();

    @Autowired
    FileTaskJournal(AgentProperties props, HostedInstances hosted) {
        this(props.journalDir(), hosted.ids(), props.journalRetention(), Clock.systemUTC());
    }

    public FileTaskJournal(Path dir, List<InstanceId> instances, Duration retention, Clock clock) {
        this(dir, instances, retention, clock, COMPACT_AT_LEAST, FileChannel::open);
    }

    /**
     * @param compactAtLeast the size under which the file is never compacted while the agent runs
     * @param opener how files are opened (a test's disk that loses what was not flushed)
     */
    FileTaskJournal(Path dir, List<InstanceId> instances, Duration retention, Clock clock, long compactAtLeast,
            JournalFile.Opener opener) {
        this.dir = dir;
        this.hosted = Set.copyOf(instances);
        this.compactAtLeast = compactAtLeast;
        this.clock = clock;
        this.retention = retention;
        this.file = new JournalFile(dir.resolve(FILE_NAME), opener);
        open(instances);
    }

    @Override
    public boolean knows(TaskKey key) {
        return tasks.containsKey(key);
    }

    @Override
    public boolean admit(TaskKey key) {
        checkHosted(key);
        long seq;
        synchronized (file) {
            if (tasks.containsKey(key)) {
                return false;
            }
            Instant now = clock.instant();
            seq = file.append(JournalEntry.accepted(key, now));
            tasks.put(key, TaskHistory.of(key, now));
            compactIfGrown();
        }
        durable(seq);
        return true;
    }

    @Override
    public void started(TaskKey key, ProcessRecord process) {
        record(key, JournalEntry.started(key, clock.instant(), process), true);
    }

    @Override
    public void ending(TaskKey key, String reason) {
        record(key, JournalEntry.ending(key, clock.instant(), reason), true);
    }

    @Override
    public void finished(TaskKey key, TaskOutcome outcome) {
        record(key, JournalEntry.finished(key, clock.instant(), outcome.withOutput(null, 0)), true);
    }

    @Override
    public void reported(TaskKey key, InstanceStatus status) {
        // Not awaited: lost with the page cache (a power cut, not an agent crash), it only has the report sent once
        // more after the restart, which the dispatcher ignores; it reaches the disk with the next flush.
        record(key, JournalEntry.reported(key, clock.instant(), status), false);
    }

    /** As found at start-up. */
    @Override
    public List<Leftover> leftovers() {
        return List.copyOf(leftovers);
    }

    /** fdatasyncs of the journal since start-up: what group commit saves shows here (the kill-path bench, tests). */
    public long flushes() {
        return file.flushes();
    }

    @Override
    public void destroy() {
        file.close();
    }

    /** @param durable false: written now, durable with the next flush */
    private void record(TaskKey key, JournalEntry entry, boolean durable) {
        checkHosted(key);
        long seq;
        synchronized (file) {
            seq = file.append(entry);
            tasks.merge(key, TaskHistory.of(key, entry.at()).apply(entry), (old, ignored) -> old.apply(entry));
            compactIfGrown();
        }
        if (durable) {
            durable(seq);
        }
    }

    @Override
    public void batch(Runnable work) {
        if (batchEnd.get() != null) {
            work.run();
            return;
        }
        long[] end = {0};
        batchEnd.set(end);
        try {
            work.run();
        } finally {
            batchEnd.remove();
        }
        if (end[0] > 0) {
            file.awaitDurable(end[0]);
        }
    }

    private void durable(long seq) {
        long[] end = batchEnd.get();
        if (end != null) {
            end[0] = Math.max(end[0], seq);
        } else {
            file.awaitDurable(seq);
        }
    }

    // Holding file's lock.
    private void compactIfGrown() {
        if (file.size() < compactAt) {
            return;
        }
        file.awaitNoFlush(); // may let others append: what is compacted is read after it
        int forgotten = compact(List.copyOf(tasks.values()), false);
        log.info("Journal {} compacted to {} bytes: {} task(s) forgotten", file.path(), file.size(), forgotten);
    }

    /**
     * Rewrites the file with what is worth remembering of {@code histories} and drops the rest from memory.
     *
     * @param atStart whether to remove the files of tasks done (normally removed once reported; this catches a crash
     *     in between)
     * @return how many tasks were forgotten
     */
    private int compact(Iterable<TaskHistory> histories, boolean atStart) {
        Instant forgetBefore = clock.instant().minus(retention);
        List<JournalEntry> kept = new ArrayList<>();
        int forgotten = 0;
        for (TaskHistory task : histories) {
            if (task.done() && task.lastAt().isBefore(forgetBefore)) {
                tasks.remove(task.key());
                forgotten++;
                continue;
            }
            if (task.done() && atStart) {
                FileSystemUtils.deleteRecursively(dir.resolve(task.key().instanceId().value())
                        .resolve(task.key().dirName()).toFile());
            }
            tasks.put(task.key(), task);
            kept.addAll(task.compacted());
        }
        file.rewrite(kept);
        // Retained tasks alone may be large: compact again only once the file has doubled.
        compactAt = Math.max(compactAtLeast, 2 * file.size());
        return forgotten;
    }

    private void checkHosted(TaskKey key) {
        if (!hosted.contains(key.instanceId())) {
            throw new IllegalArgumentException("instance " + key.instanceId() + " is not hosted by this agent");
        }
    }

    private void open(List<InstanceId> instances) {
        Map<TaskKey, TaskHistory> found = new LinkedHashMap<>();
        List<Path> older = new ArrayList<>();
        for (InstanceId instance : instances) {
            Path own = dir.resolve(instance.value() + ".jsonl");
            if (Files.exists(own)) {
                older.add(own);
                JournalFile.read(own).forEach(e -> fold(found, e.of(instance)));
            }
        }
        for (JournalEntry entry : file.read()) {
            if (entry.instanceId() == null) {
                log.warn("Skipping a line of {} without an instance id", file.path());
                continue;
            }
            fold(found, entry);
        }
        int forgotten;
        synchronized (file) {
            forgotten = compact(found.values(), true);
        }
        for (Path path : older) {
            try {
                Files.delete(path); // its entries are in the new file, durably
            } catch (IOException e) {
                log.warn("Could not remove the older journal {}: {}", path, e.toString());
            }
        }
        List<Leftover> unfinished = found.values().stream()
                .filter(t -> !t.done() && hosted.contains(t.key().instanceId()))
                .map(TaskHistory::leftover).toList();
        leftovers.addAll(unfinished);
        log.info("Journal {}: {} task(s) remembered, {} left unfinished, {} forgotten{}", file.path(),
                found.size() - forgotten, unfinished.size(), forgotten,
                older.isEmpty() ? "" : " (" + older.size() + " per-instance file(s) of an older agent merged)");
    }

    private static void fold(Map<TaskKey, TaskHistory> found, JournalEntry entry) {
        TaskKey key = entry.key();
        found.merge(key, TaskHistory.of(key, entry.at()).apply(entry), (old, ignored) -> old.apply(entry));
    }
}
