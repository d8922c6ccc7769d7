package io.stopplane.api.publish;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes one API decision: its event on {@code invocation-events} and its commands on {@code instance-commands}, in
 * one Kafka transaction. Either all become visible to read_committed readers or none does.
 */
@Component
public class EventPublisher {

    private final KafkaTemplate<String, Object> template;
    private final ApiProperties props;

    EventPublisher(KafkaTemplate<String, Object> template, ApiProperties props) {
        this.template = template;
        this.props = props;
    }

    public void publish(InvocationEvent event, List<? extends InstanceCommand> commands) {
        try {
            template.executeInTransaction(ops -> {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                sends.add(ops.send(Topics.INVOCATION_EVENTS.name(), event.invokeId().value(), event));
                for (InstanceCommand command : commands) {
                    sends.add(ops.send(Topics.INSTANCE_COMMANDS.name(), command.instanceId().value(), command));
                }
                try {
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                            .get(props.dispatchTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("publish failed", e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw new ApiException(ApiError.DISPATCH_FAILED, e);
        }
    }
}
