package io.stopplane.agent.testing;

import io.stopplane.agent.task.Leftover;
import io.stopplane.agent.task.ProcessRecord;
import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.status.InstanceStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A journal a test can look into; it remembers nothing across instances, so it never has leftovers. */
public final class MapJournal implements TaskJournal {

    private final Map<TaskKey, InstanceStatus> tasks = new ConcurrentHashMap<>();
    private final Map<TaskKey, InstanceStatus> reported = new ConcurrentHashMap<>();

    @Override
    public boolean admit(TaskKey key) {
        return tasks.putIfAbsent(key, InstanceStatus.PENDING) == null;
    }

    @Override
    public boolean knows(TaskKey key) {
        return tasks.containsKey(key);
    }

    @Override
    public void started(TaskKey key, ProcessRecord process) {
        tasks.put(key, InstanceStatus.RUNNING);
    }

    @Override
    public void ending(TaskKey key, String reason) {
    }

    @Override
    public void finished(TaskKey key, TaskOutcome outcome) {
        tasks.put(key, outcome.status());
    }

    @Override
    public void reported(TaskKey key, InstanceStatus status) {
        reported.put(key, status);
    }

    @Override
    public List<Leftover> leftovers() {
        return List.of();
    }

    public InstanceStatus statusOf(TaskKey key) {
        return tasks.get(key);
    }

    /** The last status whose report was acknowledged. */
    public InstanceStatus reportedOf(TaskKey key) {
        return reported.get(key);
    }
}
