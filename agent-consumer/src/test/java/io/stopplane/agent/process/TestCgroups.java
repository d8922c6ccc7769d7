package io.stopplane.agent.process;

import static org.awaitility.Awaitility.await;

import io.stopplane.agent.task.TaskKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** The cgroups the tests' commands got: looked into, and removed (with whatever is left in them) after each test. */
final class TestCgroups {

    private static final Optional<CgroupTree> TREE = CgroupTree.detect();

    private TestCgroups() {
    }

    /** The cgroup a command of {@code key} gets where the agent kills by cgroup. */
    static Path of(TaskKey key) {
        return TREE.orElseThrow(() -> new AssertionError("cgroup v2 is not writable here"))
                .agentCgroup().resolve(CgroupTree.PREFIX + key.instanceId().value() + "-" + key.invokeId().value());
    }

    /** Safety net for a failed test: kills and removes the tasks' cgroups that are still there. */
    static void removeAll(Collection<TaskKey> keys) {
        if (TREE.isEmpty()) {
            return;
        }
        for (TaskKey key : keys) {
            TaskCgroup cgroup = new TaskCgroup(of(key));
            if (Files.isDirectory(cgroup.dir())) {
                cgroup.kill();
                await().atMost(Duration.ofSeconds(10)).until(cgroup::remove);
            }
        }
    }
}
