package io.stopplane.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for files to change without polling them: the JDK's {@code WatchService}, which on Linux is inotify, with one
 * thread for the whole agent. The kernel sends an event when a cgroup's {@code cgroup.events} changes ({@code populated
 * 0}, {@code frozen 1}) and when a wrapper writes a task's {@code pid}, {@code exit} or {@code dropped} file, so a
 * condition on those files is looked at only when one of them changed. Each waiter's condition is checked once after its
 * directory is watched, so a change just before that is not missed.
 *
 * <p>Futures complete on the watching thread: whoever continues from one does so on an executor of its own.
 */
final class FileEvents {

    private static final Logger log = LoggerFactory.getLogger(FileEvents.class);
    private static final FileEvents SHARED = new FileEvents();

    private record Waiter(BooleanSupplier condition, CompletableFuture<Void> done) {
    }

    private final WatchService watcher;
    private final Map<Path, List<Waiter>> waiters = new HashMap<>();
    private final Map<Path, WatchKey> keys = new HashMap<>();

    private FileEvents() {
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException("no file watcher", e);
        }
        Thread thread = new Thread(this::serve, "agent-file-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** One watcher per JVM: each is an inotify instance, of which a user has few (128 by default). */
    static FileEvents shared() {
        return SHARED;
    }

    /**
     * Completes once {@code condition} holds, checked now and after each change in {@code dir}; fails with
     * {@link NoSuchFileException} if {@code dir} goes away (or cannot be watched) with the condition still false.
     */
    CompletableFuture<Void> when(Path dir, BooleanSupplier condition) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (condition.getAsBoolean()) {
            done.complete(null);
            return done;
        }
        synchronized (this) {
            WatchKey key = keys.get(dir);
            if (key == null) {
                try {
                    key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY);
                } catch (IOException | RuntimeException e) {
                    fail(done, condition, dir);
                    return done;
                }
                keys.put(dir, key);
            }
            waiters.computeIfAbsent(dir, d -> new ArrayList<>()).add(new Waiter(condition, done));
        }
        // after the watch is there: a change between the first check and the watch is seen now
        if (condition.getAsBoolean()) {
            done.complete(null);
        }
        return done;
    }

    private void serve() {
        while (true) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            key.pollEvents(); // which file changed does not matter: each condition reads what it needs
            try {
                dispatch(key);
            } catch (RuntimeException e) {
                log.error("Dispatching file events failed", e);
            }
        }
    }

    private void dispatch(WatchKey key) {
        Path dir = (Path) key.watchable();
        boolean valid = key.reset();
        List<Waiter> ready = new ArrayList<>();
        List<Waiter> lost = new ArrayList<>();
        synchronized (this) {
            List<Waiter> list = waiters.get(dir);
            if (list == null || keys.get(dir) != key) {
                key.cancel(); // nobody waits on it any more
                return;
            }
            for (Waiter w : list) {
                if (w.done().isDone() || check(w)) {
                    ready.add(w);
                } else if (!valid) {
                    lost.add(w);
                }
            }
            list.removeAll(ready);
            list.removeAll(lost);
            if (list.isEmpty()) {
                keys.remove(dir);
                waiters.remove(dir);
                key.cancel();
            }
        }
        ready.forEach(w -> w.done().complete(null));
        lost.forEach(w -> fail(w.done(), w.condition(), dir));
    }

    private static boolean check(Waiter w) {
        try {
            return w.condition().getAsBoolean();
        } catch (RuntimeException e) {
            log.warn("A file condition failed: {}", e.toString());
            w.done().completeExceptionally(e);
            return true;
        }
    }

    private static void fail(CompletableFuture<Void> done, BooleanSupplier condition, Path dir) {
        if (condition.getAsBoolean()) {
            done.complete(null);
        } else {
            done.completeExceptionally(new NoSuchFileException(dir.toString()));
        }
    }
}
