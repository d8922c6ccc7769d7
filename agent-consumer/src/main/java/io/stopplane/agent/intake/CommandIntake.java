package io.stopplane.agent.intake;

import io.stopplane.agent.process.ProcessSupervisor;
import io.stopplane.agent.process.ShutdownFirst;
import io.stopplane.model.command.InstanceCommand;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Handles the batches of commands the gateway delivers, one after the other on a thread of its own, so that the
 * connection is never held up by a journal write or a launch. Before any batch, the supervisor takes over what the
 * previous run of the agent left running: at start-up, connected or not, so that adopted commands are watched, timed
 * out and stopped even while the gateway is away. The gateway's first batch after a connection holds everything still
 * to be done for the agent's instances, so a stop issued while the agent was away is in the same batch as its run,
 * and {@link CommandBatchHandler}'s look-ahead cancels the run instead of starting it.
 */
@Component
public class CommandIntake implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

    private final CommandBatchHandler handler;
    private final ProcessSupervisor supervisor;
    private volatile ExecutorService thread;

    CommandIntake(CommandBatchHandler handler, ProcessSupervisor supervisor) {
        this.handler = handler;
        this.supervisor = supervisor;
    }

    /** Queues a batch behind the ones before it; dropped once the agent shuts down (delivered again after it). */
    public void accept(List<InstanceCommand> batch) {
        ExecutorService t = thread;
        try {
            if (t == null) {
                throw new RejectedExecutionException("not started");
            }
            t.execute(() -> handle(batch));
        } catch (RejectedExecutionException e) {
            log.info("Not handling {} command(s): the agent is shutting down", batch.size());
        }
    }

    private void handle(List<InstanceCommand> batch) {
        try {
            handler.handle(batch);
        } catch (RuntimeException e) {
            log.error("Could not handle a batch of {} command(s)", batch.size(), e);
        }
    }

    @Override
    public void start() {
        ExecutorService t = Executors.newSingleThreadExecutor(r -> new Thread(r, "agent-intake"));
        t.execute(() -> {
            try {
                supervisor.recover();
            } catch (RuntimeException e) {
                log.error("Recovering the tasks of the previous run failed", e);
            }
        });
        thread = t;
    }

    @Override
    public void stop() {
        ExecutorService t = thread;
        thread = null;
        if (t == null) {
            return;
        }
        t.shutdown();
        try {
            // A batch being handled finishes (the supervisor, closing, starts nothing more); do not hold the
            // shutdown for longer.
            t.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the running commands were given their end: see {@link ShutdownFirst}. */
    @Override
    public int getPhase() {
        return ShutdownFirst.LATER;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
