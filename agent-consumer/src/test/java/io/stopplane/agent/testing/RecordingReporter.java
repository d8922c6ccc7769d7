package io.stopplane.agent.testing;

import io.stopplane.agent.report.StatusReporter;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.model.status.InstanceStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every report in order instead of sending it. */
public final class RecordingReporter implements StatusReporter {

    private final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> report(TaskKey key, TaskOutcome outcome) {
        reports.add(new Report(key, outcome));
        return CompletableFuture.completedFuture(null);
    }

    /** Every task reported on. */
    public java.util.Set<TaskKey> keys() {
        return reports.stream().map(Report::key).collect(java.util.stream.Collectors.toSet());
    }

    public List<TaskOutcome> outcomesOf(TaskKey key) {
        return reports.stream().filter(r -> r.key().equals(key)).map(Report::outcome).toList();
    }

    public List<InstanceStatus> statusesOf(TaskKey key) {
        return outcomesOf(key).stream().map(TaskOutcome::status).toList();
    }

    /** The last report, once it is terminal. */
    public TaskOutcome finalOutcome(TaskKey key) {
        List<TaskOutcome> outcomes = outcomesOf(key);
        if (outcomes.isEmpty() || !outcomes.get(outcomes.size() - 1).status().isTerminal()) {
            throw new AssertionError("no final report yet for " + key + ": " + outcomes);
        }
        return outcomes.get(outcomes.size() - 1);
    }

    public record Report(TaskKey key, TaskOutcome outcome) {
    }
}
