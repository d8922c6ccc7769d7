package io.stopplane.agent.testing;

import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.model.status.InstanceStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A journal a test can look into. */
public final class MapJournal implements TaskJournal {

    private final Map<TaskKey, InstanceStatus> tasks = new ConcurrentHashMap<>();

    @Override
    public boolean admit(TaskKey key) {
        return tasks.putIfAbsent(key, InstanceStatus.PENDING) == null;
    }

    @Override
    public void finished(TaskKey key, InstanceStatus status) {
        tasks.put(key, status);
    }

    public InstanceStatus statusOf(TaskKey key) {
        return tasks.get(key);
    }
}
