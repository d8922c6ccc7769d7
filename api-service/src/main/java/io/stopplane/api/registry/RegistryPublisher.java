package io.stopplane.api.registry;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.config.DispatchBudget;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes one registry event to {@code registry-events} (key: the activation id) and returns once the brokers have it:
 * committed in a transaction of the API's producer, so the fold (read_committed) sees it exactly once. Registry writes
 * are people's actions, a few a minute, so each has its own transaction (no group commit as {@code EventPublisher}
 * needs). Bounded by the {@link DispatchBudget}: with the broker gone the caller gets InternalError.Dispatch, and the
 * event was not written (an aborted or never-begun transaction).
 */
@Component
public class RegistryPublisher {

    static final String SOURCE = "/stopplane/api-service";

    private final KafkaTemplate<String, Object> template;
    private final DispatchBudget budget;

    RegistryPublisher(KafkaTemplate<String, Object> template, ApiProperties props) {
        this.template = template;
        this.budget = new DispatchBudget(props.dispatchTimeout());
    }

    public void publish(RegistryEvent event) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(Topics.REGISTRY_EVENTS.name(),
                event.activationId(), event);
        CloudEvents.of(event, SOURCE).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            template.executeInTransaction(ops -> {
                try {
                    return ops.send(record).get(budget.sends().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("send to " + Topics.REGISTRY_EVENTS.name() + " failed", e);
                }
            });
        } catch (RuntimeException e) {
            throw new ApiException(ApiError.DISPATCH_FAILED, e);
        }
    }
}
