package io.stopplane.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.report.TaskReports;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.testing.MapJournal;
import io.stopplane.agent.testing.Processes;
import io.stopplane.agent.testing.RecordingReporter;
import io.stopplane.agent.testing.TestAgents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A test's own parent cgroup, {@code stopplane-test-<uuid>} under the test JVM's, in which the supervisor makes its
 * commands' cgroups as it does under an agent's: apart from whatever else runs on the machine (other builds run these
 * tests too), looked into, and removed whole (whatever is left in it killed) when the test ends. For
 * {@code process-group}, no cgroup at all.
 */
final class TestCgroups implements AutoCloseable {

    private static final Optional<CgroupTree> TREE = CgroupTree.detect();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CgroupTree tree;

    private TestCgroups(CgroupTree tree) {
        this.tree = tree;
    }

    /** The kill methods this machine can test: {@code process-group} always, {@code cgroup} where v2 is writable. */
    static Stream<String> killMethods() {
        return Stream.concat(cgroupWhereWritable(), Stream.of(KillMethod.PROCESS_GROUP.wireName()));
    }

    /** {@code cgroup} where cgroup v2 can be written (as root here), nothing elsewhere. */
    static Stream<String> cgroupWhereWritable() {
        return TREE.map(t -> KillMethod.CGROUP.wireName()).stream();
    }

    /** @param killMethod {@code cgroup} or {@code process-group} */
    static TestCgroups of(String killMethod) {
        if (KillMethod.PROCESS_GROUP.wireName().equals(killMethod)) {
            return new TestCgroups(null);
        }
        CgroupTree jvm = TREE.orElseThrow(() -> new AssertionError("cgroup v2 is not writable here"));
        Path parent = jvm.agentCgroup().resolve(CgroupTree.PREFIX + "test-" + UUID.randomUUID());
        try {
            Files.createDirectory(parent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCgroups(new CgroupTree(jvm.agentCgroup(), parent));
    }

    /** How the supervisor under test kills. */
    ProcessControl control() {
        return new ProcessControl(tree);
    }

    /** A supervisor of real processes that kills by this method, as an agent whose state is in {@code stateDir}. */
    ProcessSupervisor supervisor(Path stateDir, RecordingReporter reporter, MapJournal journal) {
        return new ProcessSupervisor(TestAgents.properties(stateDir), new TaskReports(reporter, journal), journal,
                control());
    }

    /**
     * How a test of {@link #supervisor} ends: the supervisor destroyed and every cgroup it made gone (asserted), then,
     * whatever happened, each process carrying the test's marker killed and the test's cgroups removed.
     */
    void close(ProcessSupervisor supervisor, String marker, Duration wait) {
        try {
            supervisor.destroy();
            await().atMost(wait).untilAsserted(() -> assertThat(left()).as("the cgroups the agent made").isEmpty());
        } finally {
            Processes.killAll(marker);
            close();
        }
    }

    /** The cgroup a command of {@code key} gets. */
    Path of(TaskKey key) {
        return tree.agentCgroup().resolve(CgroupTree.PREFIX + key.instanceId().value() + "-" + key.invokeId().value());
    }

    /** The commands' cgroups still there. */
    List<Path> left() {
        if (tree == null) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(tree.agentCgroup())) {
            return children.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills whatever is left in the test's cgroups and removes them. */
    @Override
    public void close() {
        if (tree == null) {
            return;
        }
        for (Path dir : left()) {
            TaskCgroup cgroup = new TaskCgroup(dir);
            cgroup.kill();
            await().atMost(WAIT).until(cgroup::remove);
        }
        TaskCgroup parent = new TaskCgroup(tree.agentCgroup());
        await().atMost(WAIT).until(parent::remove);
    }
}
