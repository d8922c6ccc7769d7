package io.stopplane.agent.intake;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.process.ProcessSupervisor;
import io.stopplane.agent.report.TaskReports;
import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Applies a batch of this agent's commands in order, with a look ahead: a run whose stop is in the same batch (the
 * gateway's first batch after a connection holds everything still to be done) is cancelled, never started. A run delivered after its
 * deadline is never started either. Every command is idempotent, as redelivery after a restart is expected.
 *
 * <p>A scheduled invocation's runs are tasks of their own ({@link TaskKey#run}); its stop is about the invocation:
 * it kills whichever run is running, and it is journaled under the invocation's key, so that no run of it read later
 * (issued before the stop reached the dispatcher) ever starts.
 */
@Component
class CommandBatchHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchHandler.class);

    private final ProcessSupervisor supervisor;
    private final TaskJournal journal;
    private final TaskReports reports;
    private final Duration deliveryTimeout;
    private final Clock clock;

    @Autowired
    CommandBatchHandler(ProcessSupervisor supervisor, TaskJournal journal, TaskReports reports, AgentProperties props) {
        this(supervisor, journal, reports, props.deliveryTimeout(), Clock.systemUTC());
    }

    CommandBatchHandler(ProcessSupervisor supervisor, TaskJournal journal, TaskReports reports,
            Duration deliveryTimeout, Clock clock) {
        this.supervisor = supervisor;
        this.journal = journal;
        this.reports = reports;
        this.deliveryTimeout = deliveryTimeout;
        this.clock = clock;
    }

    void handle(List<InstanceCommand> batch) {
        Set<TaskKey> stopped = new HashSet<>();
        batch.stream().filter(StopCommand.class::isInstance).map(TaskKey::of).forEach(stopped::add);
        // What the batch journals is durable when it returns, in one group of flushes: one flush per command would
        // hold up every stop behind the previous one's disk write.
        journal.batch(() -> apply(batch, stopped));
    }

    private void apply(List<InstanceCommand> batch, Set<TaskKey> stopped) {
        for (InstanceCommand command : batch) {
            TaskKey key = TaskKey.of(command);
            MDC.put("invokeId", key.invokeId().value());
            MDC.put("instanceId", key.instanceId().value());
            try {
                if (command instanceof RunCommand) {
                    run((RunCommand) command, key, stopped.contains(key.invocation()));
                } else if (command instanceof StopCommand) {
                    stop((StopCommand) command, key);
                }
            } catch (RuntimeException e) {
                // One bad command must not hold up the others of the instance, nor the other instances.
                log.error("Could not handle {} for {}", command.getClass().getSimpleName(), key, e);
            } finally {
                MDC.remove("invokeId");
                MDC.remove("instanceId");
            }
        }
    }

    private void run(RunCommand run, TaskKey key, boolean stopFollows) {
        if (run.run() != null && journal.knows(key.invocation())) {
            log.info("Not starting {}: its invocation was stopped here", key);
            return;
        }
        if (!journal.admit(key)) {
            log.info("Ignoring a run already seen for {}", key);
            return;
        }
        if (stopFollows) {
            log.info("Cancelling {}: its stop is already queued", key);
            reports.finish(key, TaskOutcome.cancelled());
            return;
        }
        // The dispatcher gave up on it at the same deadline (Aborted): running it now would contradict the state.
        // The command's own timeout, the one the dispatcher uses; the configured one for commands written before.
        Duration timeout = run.command().deliveryTimeout(deliveryTimeout);
        if (!run.issuedAt().plus(timeout).isAfter(clock.instant())) {
            log.warn("Not starting {}: issued at {}, past the delivery timeout of {}", key, run.issuedAt(), timeout);
            reports.finish(key, TaskOutcome.aborted());
            return;
        }
        supervisor.start(run);
    }

    private void stop(StopCommand stop, TaskKey key) {
        Duration grace = stop.graceSeconds() == null ? null : Duration.ofSeconds(stop.graceSeconds());
        if (supervisor.stop(key, grace)) {
            // A schedule's run was killed: fence its later runs. (A run-once task is known already: a no-op.)
            journal.admit(key);
            return;
        }
        if (journal.admit(key)) {
            // Never seen its run (issued before this agent registered, or not yet delivered): acknowledge it as stopped,
            // and the journal now makes sure the run never starts.
            log.info("Cancelling {}: stopped before its run was seen", key);
            reports.finish(key, TaskOutcome.cancelled());
        } else {
            log.info("Ignoring a stop for {}: already over", key);
        }
    }
}
