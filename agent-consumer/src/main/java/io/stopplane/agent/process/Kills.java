package io.stopplane.agent.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of killing: ends a task's processes by its cgroup where it has one, by process group otherwise.
 *
 * <p>By cgroup: freeze it (nothing in it can run, so nothing can fork or exit), read {@code cgroup.procs}, SIGTERM each
 * member once, thaw; after the grace, {@code cgroup.kill}. Done when {@code cgroup.events} says {@code populated 0}
 * (an inotify event, see {@link FileEvents}): no pid is ever guessed, and none can be reused while it is read, as
 * frozen members cannot exit. No thread waits out a grace period: a timer fires the SIGKILL, an event ends it.
 *
 * <p>By process group (the fallback), {@link ProcessTreeKiller} polls {@code /proc}, as the kernel sends no event for
 * the exit of a process that is not the agent's child: one thread of {@code fallback} per kill in progress.
 */
final class Kills {

    private static final Logger log = LoggerFactory.getLogger(Kills.class);
    private static final Duration FREEZE_WAIT = Duration.ofSeconds(1);
    private static final Duration REAP_TIMEOUT = Duration.ofSeconds(5);

    private final FileEvents events = FileEvents.shared();
    private final ProcessTreeKiller groupKiller = new ProcessTreeKiller();
    private final ScheduledExecutorService timers;
    private final Executor pool;
    private final Executor fallback;

    /**
     * @param pool bounded: the short steps of cgroup kills
     * @param fallback a thread per process-group kill, for its grace period
     */
    Kills(ScheduledExecutorService timers, Executor pool, Executor fallback) {
        this.timers = timers;
        this.pool = pool;
        this.fallback = fallback;
    }

    /**
     * SIGTERM, the grace, SIGKILL.
     *
     * @param wholeTree false: the shell alone ({@code TerminationMode=Process}); what it started is left running
     * @return the shell's exit status once the processes are gone; null if it cannot be learnt
     */
    CompletableFuture<Integer> kill(RunningTask task, boolean wholeTree, Duration grace) {
        if (task.hasExited()) {
            return task.exit(); // reaped already: its group id may no longer be the command's to signal
        }
        if (!wholeTree) {
            return shellOnly(task, grace);
        }
        if (task.cgroup() != null) {
            return emptied(task.cgroup(), grace).thenCompose(empty -> reaped(task));
        }
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        run(fallback, () -> {
            try {
                exit.complete(groupKiller.kill(task.shell(), task.pid(), grace, task.exit()));
            } catch (RuntimeException e) {
                exit.completeExceptionally(e);
            }
        });
        return exit;
    }

    /** SIGKILL everything of the task now, no grace: the agent is going away. */
    void forceKill(RunningTask task) {
        if (task.cgroup() != null) {
            task.cgroup().kill();
        } else {
            groupKiller.forceKill(task.shell(), task.pid());
        }
    }

    /**
     * Removes the task's cgroup once it is empty: at once after a kill of the whole tree; after a natural exit or a
     * {@code TerminationMode=Process} stop, when the last process the command left running is gone.
     */
    void release(RunningTask task) {
        if (task.cgroup() != null) {
            release(task.cgroup());
        }
    }

    void release(TaskCgroup cgroup) {
        if (!cgroup.remove()) {
            events.when(cgroup.dir(), () -> !cgroup.populated()).whenComplete((empty, gone) -> cgroup.remove());
        }
    }

    private CompletableFuture<Void> emptied(TaskCgroup cgroup, Duration grace) {
        CompletableFuture<Void> empty = events.when(cgroup.dir(), () -> !cgroup.populated())
                .exceptionally(gone -> null);
        if (empty.isDone()) {
            return empty;
        }
        cgroup.freeze(true);
        Runnable signal = () -> {
            try {
                terminate(cgroup);
            } finally {
                cgroup.freeze(false);
            }
            Runnable cancelSigkill = schedule(cgroup::kill, grace);
            empty.whenComplete((done, e) -> cancelSigkill.run());
        };
        if (cgroup.frozenOrEmpty()) {
            signal.run(); // sleeping members freeze at once: the usual case needs no event
        } else {
            events.when(cgroup.dir(), cgroup::frozenOrEmpty)
                    .exceptionally(gone -> null)
                    // a member in uninterruptible sleep delays the freeze: signalled unfrozen, then, not at all
                    .completeOnTimeout(null, FREEZE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((frozen, error) -> run(pool, signal));
        }
        return empty.copy().completeOnTimeout(null, grace.plus(REAP_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, e) -> {
                    if (cgroup.populated()) {
                        log.error("{} still has processes {} after SIGKILL", cgroup.dir(), cgroup.procs());
                    }
                });
    }

    // Each member gets one SIGTERM: a second one could run a cleanup trap twice.
    private static void terminate(TaskCgroup cgroup) {
        for (long pid : cgroup.procs()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    private CompletableFuture<Integer> shellOnly(RunningTask task, Duration grace) {
        ProcessHandle shell = task.shell();
        if (shell != null) {
            shell.destroy();
            Runnable cancelSigkill = schedule(shell::destroyForcibly, grace);
            task.exit().whenComplete((code, e) -> cancelSigkill.run());
        }
        return task.exit().copy().completeOnTimeout(null, grace.plus(REAP_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
    }

    private static CompletableFuture<Integer> reaped(RunningTask task) {
        return task.exit().copy().completeOnTimeout(null, REAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return cancels the action if it has not run yet */
    private Runnable schedule(Runnable action, Duration after) {
        try {
            ScheduledFuture<?> scheduled = timers.schedule(action, after.toMillis(), TimeUnit.MILLISECONDS);
            return () -> scheduled.cancel(false);
        } catch (RejectedExecutionException e) {
            action.run(); // past the agent's shutdown: no timer left, and no time either
            return () -> { };
        }
    }

    private static void run(Executor executor, Runnable work) {
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            work.run(); // the agent is past its shutdown: no worker left, but the tree must still die
        }
    }
}
