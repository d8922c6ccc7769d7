package io.stopplane.agent.process;

import io.stopplane.agent.task.ProcessRecord;
import io.stopplane.agent.task.TaskKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A command's shell (and cgroup), started by this agent or adopted after a restart, with the reason it ended once one is claimed, a
 * future completed once its processes are gone (or SIGKILLed) and one completed once its outcome was reported.
 */
final class RunningTask {

    private final TaskKey key;
    private final ProcessRecord record;
    private final ProcessHandle shell;
    private final CompletableFuture<Integer> exit;
    private final TaskFiles files;
    private final TaskCgroup cgroup;
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final CompletableFuture<Void> reported = new CompletableFuture<>();
    private volatile Future<?> timeout;

    /**
     * @param shell null if the shell was gone before a handle could be taken
     * @param exit completes with the shell's exit status, null if it cannot be known
     * @param cgroup the command's cgroup, null where it is killed by process group
     */
    RunningTask(TaskKey key, ProcessRecord record, ProcessHandle shell, CompletableFuture<Integer> exit,
            TaskFiles files, TaskCgroup cgroup) {
        this.key = key;
        this.record = record;
        this.shell = shell;
        this.exit = exit;
        this.files = files;
        this.cgroup = cgroup;
    }

    TaskKey key() {
        return key;
    }

    ProcessRecord record() {
        return record;
    }

    /** Also the process group id. */
    long pid() {
        return record.pid();
    }

    ProcessHandle shell() {
        return shell;
    }

    CompletableFuture<Integer> exit() {
        return exit;
    }

    TaskFiles files() {
        return files;
    }

    TaskCgroup cgroup() {
        return cgroup;
    }

    /** False for {@code TerminationMode=Process}: a stop or timeout then kills the shell only. */
    boolean wholeTree() {
        return record.wholeTree();
    }

    boolean hasExited() {
        return exit.isDone();
    }

    CompletableFuture<Void> ended() {
        return ended;
    }

    CompletableFuture<Void> reported() {
        return reported;
    }

    /** @return true for the one caller that gets to decide how the task is reported */
    boolean claim(Ending why) {
        return ending.compareAndSet(null, why);
    }

    void timeout(Future<?> timeout) {
        this.timeout = timeout;
    }

    void cancelTimeout() {
        Future<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
