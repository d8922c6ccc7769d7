package io.stopplane.agent.process;

import io.stopplane.agent.report.TaskReports;
import io.stopplane.agent.task.Leftover;
import io.stopplane.agent.task.ProcessRecord;
import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What the agent does at start-up with the tasks its previous run left without an acknowledged final report. Nothing is
 * ever started again. A command still there (same pid and same start time, or its wrapper still waiting for it) is
 * adopted: watched until it exits, and stoppable. A command that is gone is reported with the exit status its wrapper
 * wrote; without one, nothing can be proven and it is reported {@code Error}/{@code ExecutionInterrupted}.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    private static final Duration WRAPPER_START = Duration.ofSeconds(10);

    private final ProcessSupervisor supervisor;
    private final TaskJournal journal;
    private final TaskReports reports;

    Recovery(ProcessSupervisor supervisor, TaskJournal journal, TaskReports reports) {
        this.supervisor = supervisor;
        this.journal = journal;
        this.reports = reports;
    }

    void run() {
        for (Leftover left : journal.leftovers()) {
            MDC.put("invokeId", left.key().invokeId().value());
            MDC.put("instanceId", left.key().instanceId().value());
            try {
                recover(left);
            } catch (RuntimeException e) {
                log.error("Could not recover {}", left.key(), e);
            } finally {
                MDC.remove("invokeId");
                MDC.remove("instanceId");
            }
        }
    }

    private void recover(Leftover left) {
        TaskKey key = left.key();
        TaskFiles files = supervisor.filesOf(key);
        if (left.outcome() != null) {
            log.info("Reporting {} again for {}: not acknowledged before the agent stopped",
                    left.outcome().status().wireName(), key);
            TaskOutcome outcome = left.outcome();
            if (left.process() != null) {
                if (!left.runningReported()) {
                    reports.running(key);
                }
                // the journal holds no output: it is still in the task's files, removed only once acknowledged
                BoundedOutput.Captured output = files.output();
                outcome = outcome.withOutput(output.text(), output.dropped());
            }
            reports.send(key, outcome).thenRun(files::delete);
            return;
        }
        Ending ending = Ending.named(left.ending()).orElse(Ending.EXITED);
        Optional<ProcessRecord> process = Optional.ofNullable(left.process())
                .flatMap(p -> p.pid() == 0 ? findLaunched(files, p) : Optional.of(p));
        if (process.isEmpty()) {
            // Admitted, and the agent died before it launched anything: it never ran, and never will.
            log.warn("{} was taken in charge but not started before the agent stopped", key);
            Optional.ofNullable(left.process()).ifPresent(supervisor::release);
            supervisor.conclude(key, files, Ending.EXITED.outcome(null));
            return;
        }
        ProcessRecord p = process.get();
        OptionalInt exit = files.exitCode();
        if (exit.isEmpty() && (ProcStat.isRunning(p.pid(), p.startTicks())
                || ProcStat.isRunning(p.wrapperPid(), p.wrapperStartTicks()))) {
            supervisor.adopt(key, p, files, left.ending() == null ? null : ending, left.runningReported());
            return;
        }
        if (exit.isEmpty()) {
            // looked at before the liveness checks: the wrapper may have written the status and ended in between (the
            // shell's `echo "$e" >exit` is not atomic, so the first look can also catch it half written); once the
            // wrapper is gone, the file is final
            exit = files.exitCode();
        }
        Integer code = exit.isPresent() ? exit.getAsInt() : null;
        log.info("pid {} ended while the agent was away, exit code {} for {}", p.pid(), code, key);
        if (!left.runningReported()) {
            reports.running(key);
        }
        supervisor.release(p);
        supervisor.conclude(key, files, ending.outcome(code));
    }

    /**
     * The agent died between journaling a launch and journaling its pids: the wrapper's own pid file says whether it
     * started the command, and the wrapper is known by the task directory on its command line.
     */
    private Optional<ProcessRecord> findLaunched(TaskFiles files, ProcessRecord launching) {
        Optional<ProcessHandle> wrapper = ProcessHandle.allProcesses()
                .filter(h -> commandLine(h.pid()).contains(files.dir().toString()))
                .filter(ProcStat::isRunning)
                .findFirst();
        OptionalLong pid = files.pid();
        long deadline = System.nanoTime() + WRAPPER_START.toNanos();
        while (pid.isEmpty() && wrapper.map(ProcStat::isRunning).orElse(false) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            pid = files.pid();
        }
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        long shell = pid.getAsLong();
        long wrapperPid = wrapper.map(ProcessHandle::pid)
                .orElseGet(() -> ProcStat.of(shell).map(ProcStat::parent).orElse(0L));
        return Optional.of(new ProcessRecord(shell, ProcStat.startTicksOf(shell), wrapperPid,
                ProcStat.startTicksOf(wrapperPid), launching.deadline(), launching.wholeTree(), launching.cgroup()));
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
