package io.stopplane.agent.report;

import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import java.util.concurrent.CompletableFuture;

/** Tells the control plane how a task is doing: the gateway checks each report and writes it to {@code invocation-events}. */
public interface StatusReporter {

    /**
     * Sends the report asynchronously; reports of one task are delivered in the order they were made.
     *
     * @return completes when the control plane has the report, exceptionally if it was refused or could not be delivered
     */
    CompletableFuture<Void> report(TaskKey key, TaskOutcome outcome);
}
