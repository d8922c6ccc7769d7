package io.stopplane.agent.task;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.HostedInstances;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The durable {@link TaskJournal}: {@code <state-dir>/journal/<instance-id>.jsonl}, one append-only file per hosted
 * instance (each instance keeps its own area), a few short JSON lines per task. At start-up each file is read, folded
 * per task and rewritten compacted, forgetting tasks over and reported longer ago than the retention; a file that has
 * doubled since is compacted the same way from memory while the agent runs.
 */
@Component
public class FileTaskJournal implements TaskJournal, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FileTaskJournal.class);
    private static final long COMPACT_AT_LEAST = 4L * 1024 * 1024;

    private final Clock clock;
    private final Duration retention;
    private final long compactAtLeast;
    private final Map<InstanceId, Long> compactAt = new ConcurrentHashMap<>();
    private final Map<InstanceId, JournalFile> files = new LinkedHashMap<>();
    private final Map<TaskKey, TaskHistory> tasks = new ConcurrentHashMap<>();
    private final List<Leftover> leftovers = new ArrayList<>();
    // The files this thread wrote to within batch(), not yet forced.
    private final ThreadLocal<Set<JournalFile>> unforced = new ThreadLocal<>();
    private final ExecutorService flushers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "agent-journal-flush");
        t.setDaemon(true);
        return t;
    });

    @Autowired
    FileTaskJournal(AgentProperties props, HostedInstances hosted) {
        this(props.journalDir(), hosted.ids(), props.journalRetention(), Clock.systemUTC());
    }

    public FileTaskJournal(Path dir, List<InstanceId> instances, Duration retention, Clock clock) {
        this(dir, instances, retention, clock, COMPACT_AT_LEAST);
    }

    /** @param compactAtLeast the size under which a file is never compacted while the agent runs */
    FileTaskJournal(Path dir, List<InstanceId> instances, Duration retention, Clock clock, long compactAtLeast) {
        this.compactAtLeast = compactAtLeast;
        this.clock = clock;
        this.retention = retention;
        for (InstanceId instance : instances) {
            JournalFile file = new JournalFile(dir.resolve(instance.value() + ".jsonl"));
            files.put(instance, file);
            open(file, instance, dir.resolve(instance.value()));
        }
    }

    @Override
    public boolean admit(TaskKey key) {
        JournalFile file = fileOf(key);
        synchronized (file) {
            if (tasks.containsKey(key)) {
                return false;
            }
            Instant now = clock.instant();
            append(file, JournalEntry.accepted(key.invokeId(), now), true);
            tasks.put(key, TaskHistory.of(key, now));
            compactIfGrown(key.instanceId(), file);
            return true;
        }
    }

    @Override
    public void started(TaskKey key, ProcessRecord process) {
        record(key, JournalEntry.started(key.invokeId(), clock.instant(), process));
    }

    @Override
    public void ending(TaskKey key, String reason) {
        record(key, JournalEntry.ending(key.invokeId(), clock.instant(), reason));
    }

    @Override
    public void finished(TaskKey key, TaskOutcome outcome) {
        record(key, JournalEntry.finished(key.invokeId(), clock.instant(), outcome.withOutput(null, 0)));
    }

    @Override
    public void reported(TaskKey key, InstanceStatus status) {
        // Not forced: lost with the page cache (a power cut, not an agent crash), it only has the report sent once
        // more after the restart, which the dispatcher ignores. One fdatasync less per report (profiled: a tenth of
        // the agent's CPU when a fan-out stopped 1,000 commands, on the thread that handles acknowledgements).
        record(key, JournalEntry.reported(key.invokeId(), clock.instant(), status), false);
    }

    /** As found at start-up. */
    @Override
    public List<Leftover> leftovers() {
        return List.copyOf(leftovers);
    }

    @Override
    public void destroy() {
        flushers.shutdown();
        files.values().forEach(JournalFile::close);
    }

    private void record(TaskKey key, JournalEntry entry) {
        record(key, entry, true);
    }

    /** @param durable false: written now, forced with the next durable entry (or batch) of the file */
    private void record(TaskKey key, JournalEntry entry, boolean durable) {
        JournalFile file = fileOf(key);
        synchronized (file) {
            append(file, entry, durable);
            tasks.merge(key, TaskHistory.of(key, entry.at()).apply(entry), (old, ignored) -> old.apply(entry));
            compactIfGrown(key.instanceId(), file);
        }
    }

    @Override
    public void batch(Runnable work) {
        if (unforced.get() != null) {
            work.run();
            return;
        }
        Set<JournalFile> touched = new LinkedHashSet<>();
        unforced.set(touched);
        try {
            work.run();
        } finally {
            unforced.remove();
            forceAll(touched);
        }
    }

    private void append(JournalFile file, JournalEntry entry, boolean durable) {
        Set<JournalFile> deferred = unforced.get();
        file.append(entry, durable && deferred == null);
        if (durable && deferred != null) {
            deferred.add(file);
        }
    }

    /** Concurrent flushes of several files share the file system's journal commits: far cheaper than one by one. */
    private void forceAll(Set<JournalFile> files) {
        List<Future<?>> flushes = new ArrayList<>();
        for (JournalFile file : files) {
            if (files.size() == 1) {
                forceLogged(file);
            } else {
                flushes.add(flushers.submit(() -> forceLogged(file)));
            }
        }
        for (Future<?> f : flushes) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // logged by forceLogged
            }
        }
    }

    private static void forceLogged(JournalFile file) {
        try {
            file.force();
        } catch (RuntimeException e) {
            log.error("Could not force the journal {}", file.path(), e);
        }
    }

    private void compactIfGrown(InstanceId instance, JournalFile file) {
        if (file.size() < compactAt.getOrDefault(instance, compactAtLeast)) {
            return;
        }
        List<TaskHistory> histories = tasks.values().stream().filter(t -> t.key().instanceId().equals(instance)).toList();
        int forgotten = compact(file, instance, histories, null);
        log.info("Journal {} compacted to {} bytes: {} task(s) forgotten", file.path(), file.size(), forgotten);
    }

    /**
     * Rewrites the file with what is worth remembering of {@code histories} and drops the rest from memory.
     *
     * @return how many tasks were forgotten
     */
    private int compact(JournalFile file, InstanceId instance, Iterable<TaskHistory> histories, Path taskDirs) {
        Instant forgetBefore = clock.instant().minus(retention);
        List<JournalEntry> kept = new ArrayList<>();
        int forgotten = 0;
        for (TaskHistory task : histories) {
            if (task.done() && task.lastAt().isBefore(forgetBefore)) {
                tasks.remove(task.key());
                forgotten++;
                continue;
            }
            if (task.done() && taskDirs != null) {
                // normally removed once reported; this catches a crash in between
                FileSystemUtils.deleteRecursively(taskDirs.resolve(task.key().invokeId().value()).toFile());
            }
            tasks.put(task.key(), task);
            kept.addAll(task.compacted());
        }
        file.rewrite(kept);
        // Retained tasks alone may be large: compact again only once the file has doubled.
        compactAt.put(instance, Math.max(compactAtLeast, 2 * file.size()));
        return forgotten;
    }

    private JournalFile fileOf(TaskKey key) {
        JournalFile file = files.get(key.instanceId());
        if (file == null) {
            throw new IllegalArgumentException("instance " + key.instanceId() + " is not hosted by this agent");
        }
        return file;
    }

    private void open(JournalFile file, InstanceId instance, Path taskDirs) {
        Map<TaskKey, TaskHistory> found = new LinkedHashMap<>();
        for (JournalEntry entry : file.read()) {
            TaskKey key = new TaskKey(entry.invokeId(), instance);
            found.merge(key, TaskHistory.of(key, entry.at()).apply(entry), (old, ignored) -> old.apply(entry));
        }
        int forgotten = compact(file, instance, found.values(), taskDirs);
        List<Leftover> unfinished = found.values().stream().filter(t -> !t.done()).map(TaskHistory::leftover).toList();
        leftovers.addAll(unfinished);
        log.info("Journal {}: {} task(s) remembered, {} left unfinished, {} forgotten", file.path(),
                found.size() - forgotten, unfinished.size(), forgotten);
    }
}
