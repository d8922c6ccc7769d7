package io.stopplane.agent.process;

import io.stopplane.agent.task.TaskKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** A started shell with its output, the reason it ended once one is claimed, and a future completed once reported. */
final class RunningTask {

    private final TaskKey key;
    private final Process process;
    private final boolean wholeTree;
    private final BoundedOutput output = new BoundedOutput();
    private final CompletableFuture<Void> drained;
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final CompletableFuture<Void> reported = new CompletableFuture<>();
    private volatile Future<?> timeout;

    RunningTask(TaskKey key, Process process, boolean wholeTree) {
        this.key = key;
        this.process = process;
        this.wholeTree = wholeTree;
        this.drained = output.drain(process.getInputStream(), "agent-output-" + process.pid());
    }

    TaskKey key() {
        return key;
    }

    Process process() {
        return process;
    }

    /** False for {@code TerminationMode=Process}: a stop or timeout then kills the shell only. */
    boolean wholeTree() {
        return wholeTree;
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

    /**
     * Waits a little for the end of the output: a background process that outlived the shell may hold the pipe open
     * forever, and the report must not wait for it.
     */
    BoundedOutput.Captured awaitOutput(Duration atMost) {
        try {
            drained.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // report what was read so far
        }
        return output.captured();
    }
}
