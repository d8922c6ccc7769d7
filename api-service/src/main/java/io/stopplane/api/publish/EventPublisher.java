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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes one API decision: its event on {@code invocation-events} and its commands on {@code instance-commands}, in
 * one Kafka transaction. Either all become visible to read_committed readers or none does. Bounded by the
 * {@link DispatchBudget}: when the broker is gone the caller gets InternalError.Dispatch and the transaction is
 * aborted (or, never having reached the broker, never existed).
 */
@Component
public class EventPublisher {

    private final KafkaTemplate<String, Object> template;
    private final DispatchBudget budget;

    /** The {@code ce_source} of what the API writes. */
    static final String SOURCE = "/stopplane/api-service";

    EventPublisher(KafkaTemplate<String, Object> template, ApiProperties props) {
        this.template = template;
        this.budget = new DispatchBudget(props.dispatchTimeout());
    }

    public void publish(InvocationEvent event, List<? extends InstanceCommand> commands) {
        long deadline = System.nanoTime() + budget.sends().toNanos();
        try {
            template.executeInTransaction(ops -> {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                sends.add(send(ops, Topics.INVOCATION_EVENTS.name(), event.invokeId().value(), event,
                        CloudEvents.of(event, SOURCE)));
                for (InstanceCommand command : commands) {
                    sends.add(send(ops, Topics.INSTANCE_COMMANDS.name(), command.instanceId().value(), command,
                            CloudEvents.of(command, SOURCE)));
                }
                try {
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("publish failed", e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw new ApiException(ApiError.DISPATCH_FAILED, e);
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
