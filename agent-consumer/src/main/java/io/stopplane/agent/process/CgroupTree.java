package io.stopplane.agent.process;

import io.stopplane.agent.task.TaskKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own cgroup v2, under which each command gets one of its own ({@code stopplane-<instance>-<invoke>}).
 * Found from {@code /proc/self/mountinfo} (a {@code cgroup2} mount, wherever it is: {@code /sys/fs/cgroup} on a
 * unified host, {@code /sys/fs/cgroup/unified} on a hybrid one) and {@code /proc/self/cgroup} ({@code 0::/path}), and
 * proven usable at start-up by moving a probe process into a probe cgroup, so that a command is never started into a
 * cgroup it cannot join.
 */
final class CgroupTree {

    private static final Logger log = LoggerFactory.getLogger(CgroupTree.class);
    static final String PREFIX = "stopplane-";
    private static final List<String> CONTROL_FILES = List.of("cgroup.kill", "cgroup.freeze", "cgroup.events",
            "cgroup.procs");

    private final Path mount;
    private final Path agentCgroup;

    CgroupTree(Path mount, Path agentCgroup) {
        this.mount = mount;
        this.agentCgroup = agentCgroup;
    }

    /** The agent's cgroup v2, if there is one it can create cgroups in, put processes in and kill. */
    static Optional<CgroupTree> detect() {
        try {
            Optional<CgroupTree> tree = locate(Files.readAllLines(Path.of("/proc/self/mountinfo")),
                    Files.readAllLines(Path.of("/proc/self/cgroup")));
            if (tree.isEmpty()) {
                log.info("No cgroup v2 mount for the agent's cgroup");
                return tree;
            }
            String refused = tree.get().probe();
            if (refused != null) {
                log.info("cgroup v2 at {} is not usable: {}", tree.get().agentCgroup, refused);
                return Optional.empty();
            }
            return tree;
        } catch (IOException | RuntimeException e) {
            log.info("cgroup v2 is not usable: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * @param mountinfo the lines of {@code /proc/self/mountinfo}
     * @param cgroup the lines of {@code /proc/self/cgroup}
     */
    static Optional<CgroupTree> locate(List<String> mountinfo, List<String> cgroup) {
        Optional<String> own = cgroup.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst();
        if (own.isEmpty()) {
            return Optional.empty();
        }
        for (String line : mountinfo) {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            String[] halves = line.split(" - ", 2);
            if (halves.length < 2 || !halves[1].startsWith("cgroup2 ")) {
                continue;
            }
            String[] fields = halves[0].split(" ");
            String root = unescape(fields[3]);
            String path = own.get();
            if (!path.equals(root) && !path.startsWith(root.endsWith("/") ? root : root + "/")) {
                continue; // a mount of another part of the hierarchy
            }
            Path mount = Path.of(unescape(fields[4]));
            String below = path.substring(root.length()).replaceFirst("^/+", "");
            return Optional.of(new CgroupTree(mount, below.isEmpty() ? mount : mount.resolve(below)));
        }
        return Optional.empty();
    }

    Path agentCgroup() {
        return agentCgroup;
    }

    /** Creates the command's cgroup (or takes the empty one a crashed earlier attempt left). */
    TaskCgroup create(TaskKey key) {
        Path dir = agentCgroup.resolve(PREFIX + key.instanceId().value() + "-" + key.dirName());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            TaskCgroup left = new TaskCgroup(dir);
            if (left.populated()) {
                throw new IllegalStateException(dir + " exists and has processes in it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new TaskCgroup(dir);
    }

    /**
     * The cgroup a journal or task file names, if it is one of this agent's kind under the cgroup v2 mount and still
     * there: what comes from a file is checked before anything is written to it.
     */
    Optional<TaskCgroup> find(String recorded) {
        if (recorded == null || recorded.isBlank()) {
            return Optional.empty();
        }
        Path dir = Path.of(recorded).normalize();
        if (!dir.isAbsolute() || !dir.startsWith(mount) || !dir.getFileName().toString().startsWith(PREFIX)
                || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Optional.of(new TaskCgroup(dir));
    }

    /** @return why the tree cannot be used, or null */
    private String probe() throws IOException {
        Path dir = agentCgroup.resolve(PREFIX + "probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // left by an earlier agent with this pid: reused
        } catch (IOException e) {
            return "cannot create a cgroup under it (" + e + ")";
        }
        TaskCgroup probe = new TaskCgroup(dir);
        try {
            for (String file : CONTROL_FILES) {
                if (!Files.exists(dir.resolve(file))) {
                    return "no " + file + " (cgroup.kill needs Linux 5.14)";
                }
            }
            // The very move each command's first process makes: the writer moves itself in, then exits.
            Process joiner = new ProcessBuilder("/bin/sh", "-c", "echo 0 >\"$0/cgroup.procs\"", dir.toString())
                    .redirectErrorStream(true)
                    .start();
            String said = new String(joiner.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!joiner.waitFor(10, TimeUnit.SECONDS) || joiner.exitValue() != 0) {
                joiner.destroyForcibly();
                return "cannot move a process into it: " + said;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            removeWhenEmpty(probe);
        }
    }

    // Start-up only: the probe process was reaped, the kernel empties its cgroup a moment later.
    private static void removeWhenEmpty(TaskCgroup cgroup) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!cgroup.remove() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(
                    d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
