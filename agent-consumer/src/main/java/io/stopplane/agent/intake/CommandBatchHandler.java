package io.stopplane.agent.intake;

import io.stopplane.agent.process.ProcessSupervisor;
import io.stopplane.agent.report.StatusReporter;
import io.stopplane.agent.report.TaskOutcome;
import io.stopplane.agent.task.TaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Applies a batch of this agent's commands in order, with one look ahead: a run whose stop is in the same batch is
 * cancelled, never started. Every command is idempotent, as redelivery after a restart is expected.
 */
@Component
class CommandBatchHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchHandler.class);

    private final ProcessSupervisor supervisor;
    private final TaskJournal journal;
    private final StatusReporter reporter;

    CommandBatchHandler(ProcessSupervisor supervisor, TaskJournal journal, StatusReporter reporter) {
        this.supervisor = supervisor;
        this.journal = journal;
        this.reporter = reporter;
    }

    void handle(List<InstanceCommand> batch) {
        Set<TaskKey> stopped = batch.stream()
                .filter(StopCommand.class::isInstance)
                .map(TaskKey::of)
                .collect(Collectors.toSet());
        for (InstanceCommand command : batch) {
            TaskKey key = TaskKey.of(command);
            MDC.put("invokeId", key.invokeId().value());
            MDC.put("instanceId", key.instanceId().value());
            try {
                if (command instanceof RunCommand run) {
                    run(run, key, stopped.contains(key));
                } else if (command instanceof StopCommand) {
                    stop(key);
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
        if (!journal.admit(key)) {
            log.info("Ignoring a run already seen for {}", key);
            return;
        }
        if (stopFollows) {
            log.info("Cancelling {}: its stop arrived with it", key);
            cancel(key);
            return;
        }
        supervisor.start(run);
    }

    private void stop(TaskKey key) {
        if (supervisor.stop(key)) {
            return;
        }
        if (journal.admit(key)) {
            // Never seen its run (issued before this agent registered, or not yet delivered): acknowledge it as stopped,
            // and the journal now makes sure the run never starts.
            log.info("Cancelling {}: stopped before its run was seen", key);
            cancel(key);
        } else {
            log.info("Ignoring a stop for {}: already over", key);
        }
    }

    private void cancel(TaskKey key) {
        reporter.report(key, TaskOutcome.cancelled());
        journal.finished(key, TaskOutcome.cancelled().status());
    }
}
