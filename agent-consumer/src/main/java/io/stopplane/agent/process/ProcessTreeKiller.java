package io.stopplane.agent.process;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the process tree of a shell started by {@link ShellLauncher}: SIGTERM, a grace period to clean up, then SIGKILL.
 * The group signal reaches members that were orphaned (no longer descendants); the descendant snapshot reaches those
 * that left the group with setsid. A process that both left the group and was orphaned before the stop cannot be found.
 * Works as well on a shell this agent did not start (adopted after a restart): the shell's exit status then comes from
 * its wrapper, not from the JDK.
 */
final class ProcessTreeKiller {

    private static final Logger log = LoggerFactory.getLogger(ProcessTreeKiller.class);
    // A SIGTERMed command usually dies at once: look again soon, then less and less often.
    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Duration REAP_TIMEOUT = Duration.ofSeconds(5);
    private static final GroupSignals SIGNALS = new GroupSignals();

    /**
     * Returns once the shell's exit status is known.
     *
     * @param shell the shell, leader of process group {@code group}; null if it is gone already
     * @param exit completes with the shell's exit status (128 + signal for a signal death), null if unknowable
     * @return the shell's exit status, or null if it could not be learnt
     */
    Integer kill(ProcessHandle shell, long group, Duration grace, CompletableFuture<Integer> exit) {
        if (exit.isDone()) {
            // Reaped already: the group id may no longer be the command's to signal.
            return await(exit, group);
        }
        Set<ProcessHandle> tree = shell == null ? Set.of() : treeOf(List.of(shell));
        signalGroup(group, "TERM");
        // Each process gets one SIGTERM: a second one could run a cleanup trap twice.
        tree.stream().filter(p -> !inGroup(p, group)).forEach(ProcessHandle::destroy);
        awaitExit(tree, grace);
        forceKill(group, tree);
        return await(exit, group);
    }

    /**
     * {@code TerminationMode=Process}: the same sequence for the shell alone; whatever it started is left running, as
     * the caller asked.
     */
    Integer killShellOnly(ProcessHandle shell, long group, Duration grace, CompletableFuture<Integer> exit) {
        if (shell != null && !exit.isDone()) {
            shell.destroy();
            awaitExit(Set.of(shell), grace);
            shell.destroyForcibly();
        }
        return await(exit, group);
    }

    /** SIGKILL the group and the tree now, no grace: the agent is going away. */
    void forceKill(ProcessHandle shell, long group) {
        forceKill(group, shell == null ? Set.of() : treeOf(List.of(shell)));
    }

    private void forceKill(long group, Set<ProcessHandle> known) {
        // Survivors' descendants are taken again: a process may have forked after the first snapshot.
        Set<ProcessHandle> survivors = treeOf(known.stream().filter(ProcStat::isRunning).toList());
        signalGroup(group, "KILL");
        survivors.forEach(ProcessHandle::destroyForcibly);
        if (!survivors.isEmpty()) {
            log.info("SIGKILLed pids {} of the tree of pid {}", pids(survivors), group);
        }
    }

    static Set<ProcessHandle> treeOf(Collection<ProcessHandle> roots) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        for (ProcessHandle root : roots) {
            tree.add(root);
            if (ProcChildren.available()) {
                ProcChildren.addDescendants(root, tree);
            } else {
                root.descendants().forEach(tree::add);
            }
        }
        return tree;
    }

    private static boolean inGroup(ProcessHandle process, long group) {
        return ProcStat.of(process.pid()).map(s -> s.processGroup() == group).orElse(false);
    }

    private static void awaitExit(Set<ProcessHandle> tree, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        long poll = FIRST_POLL_NANOS;
        try {
            while (tree.stream().anyMatch(ProcStat::isRunning)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(left, poll));
                poll = Math.min(POLL_NANOS, poll * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code kill -SIG -- -group}: the one atomic way to signal a whole group, including members forked a moment ago.
     * Fails harmlessly when the group is already empty.
     */
    private static void signalGroup(long group, String signal) {
        SIGNALS.signal(group, signal);
    }

    private static Integer await(CompletableFuture<Integer> exit, long pid) {
        try {
            return exit.get(REAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.error("No exit status for pid {} within {} of SIGKILL", pid, REAP_TIMEOUT);
        }
        return null;
    }

    private static String pids(Set<ProcessHandle> processes) {
        return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(","));
    }
}
