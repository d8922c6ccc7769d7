package io.stopplane.api.publish;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.config.DispatchBudget;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes one API decision: its event on {@code invocation-events} and its commands on {@code instance-commands}, in
 * one Kafka transaction. Either all become visible to read_committed readers or none does. Bounded by the
 * {@link DispatchBudget}: when the broker is gone the caller gets InternalError.Dispatch and the transaction is
 * aborted (or, never having reached the broker, never existed).
 *
 * <p>Decisions that arrive together share a transaction (group commit): a publisher thread takes every decision
 * waiting, sends all their records in one transaction and answers them all when it commits. A transaction costs the
 * broker the same whether it carries one decision or a hundred, so under load this is what keeps the API's rate far
 * above one transaction per call (about 1,400 a second on 2 cores); alone, a decision is sent at once. A decision's
 * records are never split between transactions; a transaction that fails fails every decision in it.
 */
@Component
public class EventPublisher {

    /** The ce_source of what the API writes. */
    static final String SOURCE = "/stopplane/api-service";
    /** Publisher threads: while one commits, the next gathers what arrived meanwhile. */
    static final int PUBLISHERS = 2;
    static final int MAX_DECISIONS_PER_TRANSACTION = 256;

    private final KafkaTemplate<String, Object> template;
    private final DispatchBudget budget;
    private final LinkedBlockingQueue<Decision> waiting = new LinkedBlockingQueue<>();
    private volatile boolean started;

    private record Decision(InvocationEvent event, List<? extends InstanceCommand> commands, long deadline,
            CompletableFuture<Void> done) {
    }

    EventPublisher(KafkaTemplate<String, Object> template, ApiProperties props) {
        this.template = template;
        this.budget = new DispatchBudget(props.dispatchTimeout());
    }

    public void publish(InvocationEvent event, List<? extends InstanceCommand> commands) {
        Decision decision = new Decision(event, commands, System.nanoTime() + budget.sends().toNanos(),
                new CompletableFuture<>());
        startPublishers();
        waiting.add(decision);
        // Its transaction starts before the decision's deadline, sends until then at the latest, and ends with a
        // commit or an abort (one step) and the close of a failed producer (1 s): wait a step longer than that, so the
        // answer is the transaction's outcome (the old bound: timeout + one step + 1 s, under 8 s for the default).
        long bound = budget.sends().plus(budget.step()).plus(budget.step()).plusSeconds(1).toNanos();
        try {
            decision.done().get(bound, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new ApiException(ApiError.DISPATCH_FAILED, e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(ApiError.DISPATCH_FAILED, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiError.DISPATCH_FAILED, e);
        }
    }

    private void startPublishers() {
        if (started) {
            return;
        }
        synchronized (this) {
            if (started) {
                return;
            }
            for (int i = 1; i <= PUBLISHERS; i++) {
                Thread t = new Thread(this::publishLoop, "api-publisher-" + i);
                t.setDaemon(true);
                t.start();
            }
            started = true;
        }
    }

    private void publishLoop() {
        List<Decision> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            try {
                batch.add(waiting.take());
            } catch (InterruptedException e) {
                return;
            }
            waiting.drainTo(batch, MAX_DECISIONS_PER_TRANSACTION - 1);
            List<Decision> live = new ArrayList<>(batch.size());
            long now = System.nanoTime();
            for (Decision d : batch) {
                if (d.deadline() - now > 0) {
                    live.add(d);
                } else {
                    d.done().completeExceptionally(new TimeoutException("waited past its dispatch budget"));
                }
            }
            if (!live.isEmpty()) {
                publishTogether(live);
            }
        }
    }

    private void publishTogether(List<Decision> decisions) {
        long deadline = decisions.stream().mapToLong(Decision::deadline).min().orElseThrow();
        try {
            template.executeInTransaction(ops -> {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (Decision d : decisions) {
                    sends.add(send(ops, Topics.INVOCATION_EVENTS.name(), d.event().invokeId().value(), d.event(),
                            CloudEvents.of(d.event(), SOURCE)));
                    for (InstanceCommand command : d.commands()) {
                        sends.add(send(ops, Topics.INSTANCE_COMMANDS.name(), command.instanceId().value(), command,
                                CloudEvents.of(command, SOURCE)));
                    }
                }
                try {
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("publish failed", e);
                }
                return null;
            });
            decisions.forEach(d -> d.done().complete(null));
        } catch (RuntimeException e) {
            decisions.forEach(d -> d.done().completeExceptionally(e));
        }
    }

    /** A send that failed at once (no metadata: broker gone) ends the transaction rather than waiting again. */
    private static CompletableFuture<?> send(KafkaOperations<String, Object> ops, String topic, String key,
            Object value, Map<String, String> headers) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<?> sent = ops.send(record);
        if (sent.isCompletedExceptionally()) {
            try {
                sent.join();
            } catch (RuntimeException e) {
                throw new IllegalStateException("send to " + topic + " failed", e);
            }
        }
        return sent;
    }
}
