package io.stopplane.agent.task;

import io.stopplane.model.status.InstanceStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Remembers tasks for the life of the process; grows with the number of tasks, which is fine until the durable one. */
@Component
class InMemoryTaskJournal implements TaskJournal {

    private final Map<TaskKey, InstanceStatus> tasks = new ConcurrentHashMap<>();

    @Override
    public boolean admit(TaskKey key) {
        // PENDING stands for "admitted, no outcome yet": the map holds no nulls.
        return tasks.putIfAbsent(key, InstanceStatus.PENDING) == null;
    }

    @Override
    public void finished(TaskKey key, InstanceStatus status) {
        tasks.put(key, status);
    }
}
