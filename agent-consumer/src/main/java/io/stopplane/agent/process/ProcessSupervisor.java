package io.stopplane.agent.process;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.report.TaskReports;
import io.stopplane.agent.task.ProcessRecord;
import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs commands as real processes and ends them: on exit, on timeout, on stop, and when the agent shuts down, in which
 * case no process of a task may outlive it. Every started task is reported {@code Running} and then exactly once more.
 * After a crash of the agent, {@link #recover()} takes over what it left running.
 */
@Component
public class ProcessSupervisor implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
    private static final Duration SHUTDOWN_SLACK = Duration.ofSeconds(5);
    private static final Duration REPORT_WAIT = Duration.ofSeconds(2);
    // An adopted wrapper is not the agent's child: its exit file is an event, but its death without one is not.
    private static final Duration EXIT_POLL = Duration.ofSeconds(1);
    private static final int POOL_THREADS = 4;

    private final AgentProperties props;
    private final TaskReports reports;
    private final TaskJournal journal;
    private final LaunchCheck check;
    private final ProcessControl control;
    private final ShellLauncher launcher = new ShellLauncher();
    private final Map<TaskKey, RunningTask> running = new ConcurrentHashMap<>();
    // Bounded: what runs here never waits for a process (exits and empty cgroups are events, graces are timers).
    private final ExecutorService workers = Executors.newFixedThreadPool(POOL_THREADS, daemonThreads("agent-task-"));
    private final ExecutorService fallbackKills = Executors.newCachedThreadPool(daemonThreads("agent-kill-"));
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemonThreads("agent-timers-"));
    private final Kills kills = new Kills(timers, workers, fallbackKills);
    // A reported task's files are removed here, not on the thread that journals acknowledgements, which the next
    // reports wait for.
    private final ExecutorService cleanup = Executors.newSingleThreadExecutor(daemonThreads("agent-cleanup-"));
    private volatile boolean closing;
    private volatile List<RunningTask> endedAtShutdown = List.of();

    /** With the kill method this machine allows (cgroup v2 if it can, process group otherwise). */
    public ProcessSupervisor(AgentProperties props, TaskReports reports, TaskJournal journal) {
        this(props, reports, journal, ProcessControl.of("auto"));
    }

    @Autowired
    public ProcessSupervisor(AgentProperties props, TaskReports reports, TaskJournal journal, ProcessControl control) {
        this.props = props;
        this.reports = reports;
        this.journal = journal;
        this.control = control;
        Accounts accounts = new Accounts();
        this.check = new LaunchCheck(props, System.getProperty("user.name"), accounts.agentIsRoot(), accounts);
    }

    /** Starts the run and reports {@code Running}, or reports why it cannot run here. Never waits for the process. */
    public void start(RunCommand run) {
        TaskKey key = TaskKey.of(run);
        if (closing) {
            // Handed over while the agent shuts down: it would be killed at once, so it is not started at all.
            log.info("Not starting {}: the agent is shutting down", key);
            reports.finish(key, Ending.SHUTDOWN.outcome(null));
            return;
        }
        LaunchCheck.Plan plan = check.plan(run);
        if (plan.rejected()) {
            log.warn("Not running {}: {}", key, plan.rejection().errorInfo());
            reports.finish(key, plan.rejection());
            return;
        }
        boolean wholeTree = !"Process".equalsIgnoreCase(run.command().terminationMode());
        Instant deadline = Instant.now().plusSeconds(run.command().timeoutSeconds());
        TaskFiles files;
        TaskCgroup cgroup = null;
        ShellLauncher.Launched launched;
        try {
            files = TaskFiles.create(taskDir(key));
            cgroup = control.cgroups().map(tree -> tree.create(key)).orElse(null);
            // Journaled before the launch: should the agent die during it, the restart knows to look for the wrapper.
            journal.started(key, new ProcessRecord(0, 0, 0, 0, deadline, wholeTree, pathOf(cgroup)));
            launched = launcher.launch(files, run.command().content(), plan.workingDir(), plan.runAs(), cgroup);
        } catch (IOException | RuntimeException e) {
            log.error("Could not start {}", key, e);
            if (cgroup != null) {
                cgroup.remove();
            }
            reports.finish(key, TaskOutcome.rejected(InstanceStatus.ERROR, InstanceErrorCode.EXECUTION_EXCEPTION, null));
            return;
        }
        ProcessRecord record = new ProcessRecord(launched.pid(), launched.startTicks(), launched.wrapper().pid(),
                launched.wrapperStartTicks(), deadline, wholeTree, pathOf(cgroup));
        RunningTask task = new RunningTask(key, record, launched.shell(), launched.exit(), files, cgroup);
        running.put(key, task);
        try {
            journal.started(key, record);
        } catch (RuntimeException e) {
            // The wrapper's pid file still lets a restarted agent find it.
            log.error("Could not journal the start of pid {} for {}", record.pid(), key, e);
        }
        log.info("Started pid {} in {} for {}", record.pid(), plan.workingDir(), key);
        watch(task, false);
    }

    /**
     * Kills the task's process tree if it is running here: for the key of a stop (no run), the run of the invocation
     * that is running, whichever it is.
     *
     * @param grace overrides the configured grace period when not null
     * @return false if this agent is not running the task (never started, or already reported)
     */
    public boolean stop(TaskKey key, Duration grace) {
        RunningTask task = running.get(key);
        if (task == null && key.run() == null) {
            task = running.values().stream().filter(t -> t.key().invocation().equals(key)).findFirst().orElse(null);
        }
        if (task == null) {
            return false;
        }
        // Already exited on its own: its real outcome is being reported, the stop has nothing left to do.
        if (!task.hasExited()) {
            log.info("Stopping pid {} for {}", task.pid(), key);
            end(task, Ending.STOPPED, grace == null ? props.stopGrace() : grace);
        }
        return true;
    }

    public boolean stop(TaskKey key) {
        return stop(key, null);
    }

    /** Takes over what a previous run of the agent left unfinished; called once, before any command is read. */
    public void recover() {
        new Recovery(this, journal, reports).run();
    }

    /** How this agent kills: by cgroup v2 or by process group. */
    public KillMethod killMethod() {
        return control.killMethod();
    }

    /** How many tasks are running: for health details. */
    public int runningCount() {
        return running.size();
    }

    TaskFiles filesOf(TaskKey key) {
        return new TaskFiles(taskDir(key));
    }

    /** Watches a shell that a previous run of the agent started and that is still there. */
    void adopt(TaskKey key, ProcessRecord record, TaskFiles files, Ending ending, boolean runningReported) {
        ProcessHandle shell = ProcessHandle.of(record.pid())
                .filter(h -> ProcStat.isRunning(record.pid(), record.startTicks()))
                .orElse(null);
        // Found again by the path the journal holds; where this agent does not kill by cgroup, by process group.
        TaskCgroup cgroup = control.cgroups().flatMap(tree -> tree.find(record.cgroup())).orElse(null);
        RunningTask task = new RunningTask(key, record, shell, watchExit(record, files), files, cgroup);
        running.put(key, task);
        log.info("Adopted pid {} left running by the previous agent for {}", record.pid(), key);
        if (ending != null) {
            // It was being ended when the agent died: finish the job, with a fresh grace period.
            end(task, ending, ending == Ending.SHUTDOWN ? props.shutdownGrace() : props.stopGrace());
        }
        watch(task, runningReported);
    }

    /** The cgroup of a command that ended while the agent was away goes once whatever it left running is gone. */
    void release(ProcessRecord record) {
        control.cgroups().flatMap(tree -> tree.find(record.cgroup())).ifPresent(kills::release);
    }

    private void watch(RunningTask task, boolean runningReported) {
        if (!runningReported) {
            // Sent before any outcome can be: reports of one invocation share a partition, so Running is read first.
            reports.running(task.key());
        }
        if (closing) {
            // Started as the shutdown began (its executors may be gone already): ended now, on this thread if need be.
            end(task, Ending.SHUTDOWN, props.shutdownGrace());
            return;
        }
        long untilTimeout = Math.max(0, Duration.between(Instant.now(), task.record().deadline()).toMillis());
        task.timeout(timers.schedule(() -> end(task, Ending.TIMED_OUT, props.stopGrace()), untilTimeout,
                TimeUnit.MILLISECONDS));
        task.exit().thenRunAsync(inContextOf(task.key(), () -> exited(task)), safely(workers));
        if (closing) {
            end(task, Ending.SHUTDOWN, props.shutdownGrace());
        }
    }

    /**
     * Not our child: the exit file's event, and a slow poll for the one case without an event (the wrapper and the
     * shell both gone without a status written, say SIGKILLed by someone).
     */
    private CompletableFuture<Integer> watchExit(ProcessRecord record, TaskFiles files) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        files.exitWritten(FileEvents.shared()).whenComplete((written, gone) -> exit.complete(exitCode(files)));
        ScheduledFuture<?> poll = timers.scheduleWithFixedDelay(() -> {
            if (!ProcStat.isRunning(record.pid(), record.startTicks())
                    && !ProcStat.isRunning(record.wrapperPid(), record.wrapperStartTicks())) {
                // Both gone: the wrapper writes the status before it exits, so it is there now or never.
                exit.complete(exitCode(files));
            }
        }, EXIT_POLL.toMillis(), EXIT_POLL.toMillis(), TimeUnit.MILLISECONDS);
        exit.whenComplete((code, error) -> poll.cancel(false));
        return exit;
    }

    /** @return false if the task's end was claimed already (by an exit, a stop, a timeout or the shutdown) */
    private boolean end(RunningTask task, Ending why, Duration grace) {
        if (!task.claim(why)) {
            return false;
        }
        try {
            journal.ending(task.key(), why.name());
        } catch (RuntimeException e) {
            log.error("Could not journal the {} of {}", why, task.key(), e);
        }
        // The agent's own shutdown leaves nothing behind, whatever the termination mode.
        boolean wholeTree = task.wholeTree() || why == Ending.SHUTDOWN;
        CompletableFuture<Integer> killed;
        try {
            killed = kills.kill(task, wholeTree, grace);
        } catch (RuntimeException e) {
            killed = CompletableFuture.failedFuture(e);
        }
        killed.whenCompleteAsync((exitCode, error) -> inContextOf(task.key(), () -> {
            if (error != null) {
                log.error("Killing the tree of {} failed", task.key(), error);
            }
            log.info("Killed the tree of pid {} ({}), exit code {} for {}", task.pid(),
                    why.name().toLowerCase(Locale.ROOT), exitCode, task.key());
            complete(task, why.outcome(error == null ? exitCode : null));
        }).run(), safely(workers));
        return true;
    }

    /** Runs on {@code executor}, or here once it is shut down: what is ending must still be reported. */
    private static Executor safely(ExecutorService executor) {
        return work -> {
            try {
                executor.execute(work);
            } catch (RejectedExecutionException e) {
                work.run();
            }
        };
    }

    /** The task's invokeId and instanceId in the MDC of a worker thread, as the intake has them, for the logs. */
    private static Runnable inContextOf(TaskKey key, Runnable body) {
        return () -> {
            MDC.put("invokeId", key.invokeId().value());
            MDC.put("instanceId", key.instanceId().value());
            try {
                body.run();
            } finally {
                MDC.remove("invokeId");
                MDC.remove("instanceId");
            }
        };
    }

    private void exited(RunningTask task) {
        if (task.claim(Ending.EXITED)) {
            Integer exitCode = task.exit().join();
            log.info("pid {} exited {} for {}", task.pid(), exitCode, task.key());
            complete(task, Ending.EXITED.outcome(exitCode));
        }
    }

    private void complete(RunningTask task, TaskOutcome outcome) {
        task.cancelTimeout();
        task.ended().complete(null);
        kills.release(task);
        try {
            conclude(task.key(), task.files(), outcome).whenComplete((ok, error) -> task.reported().complete(null));
        } catch (RuntimeException e) {
            log.error("Could not report the end of {}", task.key(), e);
            task.reported().complete(null);
        } finally {
            running.remove(task.key());
        }
    }

    /** Reports the final outcome with the captured output; the task's files go once the report is acknowledged. */
    CompletableFuture<Void> conclude(TaskKey key, TaskFiles files, TaskOutcome outcome) {
        return files.outputFinal(FileEvents.shared(), OUTPUT_DRAIN)
                .thenComposeAsync(any -> {
                    BoundedOutput.Captured output = files.output();
                    return reports.finish(key, outcome.withOutput(output.text(), output.dropped()));
                }, safely(workers))
                .thenRunAsync(files::delete, cleanup);
    }

    private static String pathOf(TaskCgroup cgroup) {
        return cgroup == null ? null : cgroup.dir().toString();
    }

    private Path taskDir(TaskKey key) {
        return props.taskDir(key.instanceId(), key.dirName());
    }

    private static Integer exitCode(TaskFiles files) {
        OptionalInt code = files.exitCode();
        return code.isPresent() ? code.getAsInt() : null;
    }

    /** Starts tasks again after a {@link #beginShutdown()} whose context was started again (a stop, then a start). */
    void resume() {
        closing = false;
        endedAtShutdown = List.of();
    }

    /**
     * The first step of the agent's shutdown, before anything that can wait on a dead broker (see
     * {@link ShutdownFirst}): every running tree gets its end now, with the short shutdown grace, on the task threads. A
     * task handed over after this is not started, and one started meanwhile is ended as soon as it is watched.
     */
    void beginShutdown() {
        closing = true;
        List<RunningTask> tasks = List.copyOf(running.values());
        if (!tasks.isEmpty()) {
            log.info("Shutting down: killing {} running task(s)", tasks.size());
        }
        endedAtShutdown = tasks;
        Duration grace = props.shutdownGrace();
        // One group of disk flushes for all the journal's "ending" records, not one before each kill.
        journal.batch(() -> tasks.forEach(task -> {
            if (!end(task, Ending.SHUTDOWN, grace) && !task.hasExited()) {
                // Already being stopped or timed out, maybe with a longer grace than the agent has left.
                timers.schedule(() -> {
                    if (!task.ended().isDone()) {
                        kills.forceKill(task);
                    }
                }, grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        }));
    }

    /**
     * Waits for the trees ended by {@link #beginShutdown()} to be gone, SIGKILLs whatever is still there, and gives
     * their reports a moment: one not acknowledged by then is sent again by the next start, from the journal.
     */
    @Override
    public void destroy() {
        if (!closing) {
            beginShutdown();
        }
        Set<RunningTask> tasks = new LinkedHashSet<>(endedAtShutdown);
        tasks.addAll(running.values());
        tasks.forEach(task -> end(task, Ending.SHUTDOWN, props.shutdownGrace()));
        if (!awaitAll(tasks, RunningTask::ended, props.shutdownGrace().plus(SHUTDOWN_SLACK))) {
            // Tasks already being stopped or timed out may have a longer grace than the agent has left.
            tasks.forEach(kills::forceKill);
            awaitAll(tasks, RunningTask::ended, SHUTDOWN_SLACK);
        }
        awaitAll(tasks, RunningTask::reported, REPORT_WAIT);
        workers.shutdownNow();
        fallbackKills.shutdownNow();
        timers.shutdownNow();
        cleanup.shutdown();
    }

    private static boolean awaitAll(Collection<RunningTask> tasks, Function<RunningTask, CompletableFuture<Void>> what,
            Duration atMost) {
        try {
            CompletableFuture.allOf(tasks.stream().map(what).toArray(CompletableFuture[]::new))
                    .get(atMost.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
