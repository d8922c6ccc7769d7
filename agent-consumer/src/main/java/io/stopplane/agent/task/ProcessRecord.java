package io.stopplane.agent.task;

import java.time.Instant;
import java.util.Objects;

/**
 * What identifies a started command's processes across an agent restart.
 *
 * @param pid the command's shell: leader of its own session and process group, so also the group id
 * @param startTicks field 22 of {@code /proc/<pid>/stat} (start time in clock ticks since boot): a pid reused by an
 *     unrelated process after the command ended has another; 0 when the shell had already exited when it was read
 * @param wrapperPid the wrapper that started the shell, waits for it and writes its exit status to a file
 * @param wrapperStartTicks the same guard for the wrapper
 * @param deadline when the command's timeout expires
 * @param wholeTree false for {@code TerminationMode=Process}
 * @param cgroup the command's cgroup v2 directory, which every process it started is in; null where the agent kills by
 *     process group (and in entries written before cgroups were used)
 */
public record ProcessRecord(long pid, long startTicks, long wrapperPid, long wrapperStartTicks, Instant deadline,
        boolean wholeTree, String cgroup) {

    public ProcessRecord {
        Objects.requireNonNull(deadline, "deadline");
    }
}
