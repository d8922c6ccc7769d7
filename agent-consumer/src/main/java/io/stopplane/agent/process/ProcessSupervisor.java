package io.stopplane.agent.process;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.report.StatusReporter;
import io.stopplane.agent.report.TaskOutcome;
import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Runs commands as real processes and ends them: on exit, on timeout, on stop, and when the agent shuts down, in which
 * case no process of a task may outlive it. Every started task is reported {@code Running} and then exactly once more.
 */
@Component
public class ProcessSupervisor implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
    private static final Duration SHUTDOWN_SLACK = Duration.ofSeconds(5);

    private final StatusReporter reporter;
    private final TaskJournal journal;
    private final LaunchCheck check;
    private final ShellLauncher launcher = new ShellLauncher();
    private final ProcessTreeKiller killer = new ProcessTreeKiller();
    private final Duration stopGrace;
    private final Duration shutdownGrace;
    private final Map<TaskKey, RunningTask> running = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemonThreads("agent-task-"));
    private final ScheduledExecutorService timeouts =
            Executors.newSingleThreadScheduledExecutor(daemonThreads("agent-timeouts-"));
    private volatile boolean closing;

    public ProcessSupervisor(AgentProperties props, StatusReporter reporter, TaskJournal journal) {
        this.reporter = reporter;
        this.journal = journal;
        this.check = new LaunchCheck(props, System.getProperty("user.name"));
        this.stopGrace = props.stopGrace();
        this.shutdownGrace = props.shutdownGrace();
    }

    /** Starts the run and reports {@code Running}, or reports why it cannot run here. Never waits for the process. */
    public void start(RunCommand run) {
        TaskKey key = TaskKey.of(run);
        LaunchCheck.Plan plan = check.plan(run);
        if (plan.rejected()) {
            log.warn("Not running {}: {}", key, plan.rejection().errorInfo());
            finish(key, plan.rejection());
            return;
        }
        Process process;
        try {
            process = launcher.launch(run.command().content(), plan.workingDir());
        } catch (IOException | RuntimeException e) {
            log.error("Could not start {}", key, e);
            finish(key, TaskOutcome.rejected(InstanceStatus.ERROR, InstanceErrorCode.EXECUTION_EXCEPTION, null));
            return;
        }
        boolean wholeTree = !"Process".equalsIgnoreCase(run.command().terminationMode());
        RunningTask task = new RunningTask(key, process, wholeTree);
        running.put(key, task);
        log.info("Started pid {} in {} for {}", process.pid(), plan.workingDir(), key);
        // Sent before any outcome can be: reports of one invocation share a partition, so Running is always read first.
        reporter.report(key, TaskOutcome.running());
        task.timeout(timeouts.schedule(() -> end(task, Ending.TIMED_OUT, stopGrace),
                run.command().timeoutSeconds(), TimeUnit.SECONDS));
        process.onExit().thenRunAsync(() -> exited(task), workers);
        if (closing) {
            end(task, Ending.SHUTDOWN, shutdownGrace);
        }
    }

    /**
     * Kills the task's process tree if it is running here.
     *
     * @return false if this agent is not running the task (never started, or already reported)
     */
    public boolean stop(TaskKey key) {
        RunningTask task = running.get(key);
        if (task == null) {
            return false;
        }
        // Already exited on its own: its real outcome is being reported, the stop has nothing left to do.
        if (task.process().isAlive()) {
            log.info("Stopping pid {} for {}", task.process().pid(), key);
            end(task, Ending.STOPPED, stopGrace);
        }
        return true;
    }

    /** How many tasks are running: for health details. */
    public int runningCount() {
        return running.size();
    }

    private void end(RunningTask task, Ending why, Duration grace) {
        if (!task.claim(why)) {
            return;
        }
        workers.execute(() -> {
            Integer exitCode = null;
            try {
                // The agent's own shutdown leaves nothing behind, whatever the termination mode.
                exitCode = task.wholeTree() || why == Ending.SHUTDOWN
                        ? killer.kill(task.process(), grace)
                        : killer.killShellOnly(task.process(), grace);
            } catch (RuntimeException e) {
                log.error("Killing the tree of {} failed", task.key(), e);
            }
            log.info("Killed the tree of pid {} ({}), exit code {} for {}", task.process().pid(),
                    why.name().toLowerCase(Locale.ROOT), exitCode, task.key());
            complete(task, why.outcome(exitCode));
        });
    }

    private void exited(RunningTask task) {
        if (task.claim(Ending.EXITED)) {
            int exitCode = task.process().exitValue();
            log.info("pid {} exited {} for {}", task.process().pid(), exitCode, task.key());
            complete(task, Ending.EXITED.outcome(exitCode));
        }
    }

    private void complete(RunningTask task, TaskOutcome outcome) {
        task.cancelTimeout();
        BoundedOutput.Captured output = task.awaitOutput(OUTPUT_DRAIN);
        try {
            reporter.report(task.key(), outcome.withOutput(output.text(), output.dropped()))
                    .whenComplete((ok, error) -> task.reported().complete(null));
        } finally {
            journal.finished(task.key(), outcome.status());
            running.remove(task.key());
        }
    }

    private void finish(TaskKey key, TaskOutcome outcome) {
        reporter.report(key, outcome);
        journal.finished(key, outcome.status());
    }

    /** Kills every running tree with the short shutdown grace, then SIGKILLs whatever is still there. */
    @Override
    public void destroy() {
        closing = true;
        List<RunningTask> tasks = List.copyOf(running.values());
        if (!tasks.isEmpty()) {
            log.info("Shutting down: killing {} running task(s)", tasks.size());
        }
        tasks.forEach(task -> end(task, Ending.SHUTDOWN, shutdownGrace));
        if (!awaitReported(tasks, shutdownGrace.plus(SHUTDOWN_SLACK))) {
            // Tasks already being stopped or timed out may have a longer grace than the agent has left.
            tasks.forEach(task -> killer.forceKill(task.process()));
            awaitReported(tasks, SHUTDOWN_SLACK);
        }
        workers.shutdownNow();
        timeouts.shutdownNow();
    }

    private static boolean awaitReported(List<RunningTask> tasks, Duration atMost) {
        try {
            CompletableFuture.allOf(tasks.stream().map(RunningTask::reported).toArray(CompletableFuture[]::new))
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
