package io.stopplane.agent.report;

import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Reports with the journal's bookkeeping, so that a final status reaches the control plane once: the outcome is
 * journaled before it is sent, and the send journaled once the gateway acknowledged it. A send that failed is retried
 * while the agent runs (not one the control plane refused); one the agent died before seeing acknowledged is sent again after the restart (the dispatcher
 * ignores the duplicate that this may, rarely, produce).
 */
@Component
public class TaskReports implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TaskReports.class);
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final StatusReporter reporter;
    private final TaskJournal journal;
    // One thread: journal writes stay off the producer's network thread, and acknowledgements keep their order.
    private final ScheduledThreadPoolExecutor bookkeeping = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "agent-reports");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public TaskReports(StatusReporter reporter, TaskJournal journal) {
        this.reporter = reporter;
        this.journal = journal;
        // Retries still waiting at shutdown are given up: the journal has them sent again after the restart.
        bookkeeping.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public CompletableFuture<Void> running(TaskKey key) {
        return send(key, TaskOutcome.running());
    }

    /** Journals the final outcome, then sends it. */
    public CompletableFuture<Void> finish(TaskKey key, TaskOutcome outcome) {
        journal.finished(key, outcome);
        return send(key, outcome);
    }

    /** Sends an outcome already journaled; completes once acknowledged and journaled as reported. */
    public CompletableFuture<Void> send(TaskKey key, TaskOutcome outcome) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(key, outcome, done);
        return done;
    }

    private void attempt(TaskKey key, TaskOutcome outcome, CompletableFuture<Void> done) {
        CompletableFuture<Void> sent;
        try {
            sent = reporter.report(key, outcome);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenCompleteAsync((ok, error) -> {
            if (error == null) {
                acknowledged(key, outcome, done);
            } else if (closed || refusal(error)) {
                // A refusal is logged and counted where it was received; the journal has it sent again after a
                // restart, which is all a second try could do.
                done.completeExceptionally(error);
            } else {
                log.warn("Report {} for {} not delivered, retrying in {}", outcome.status().wireName(), key, RETRY);
                bookkeeping.schedule(() -> attempt(key, outcome, done), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, bookkeeping);
    }

    private static boolean refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ReportRefused;
    }

    private void acknowledged(TaskKey key, TaskOutcome outcome, CompletableFuture<Void> done) {
        try {
            journal.reported(key, outcome.status());
        } catch (RuntimeException e) {
            // Delivered all the same: at worst it is sent again after a restart.
            log.error("Could not journal the report {} for {}", outcome.status().wireName(), key, e);
        }
        done.complete(null);
    }

    @Override
    public void destroy() {
        closed = true;
        bookkeeping.shutdown();
        try {
            bookkeeping.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
