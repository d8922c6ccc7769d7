package io.stopplane.api.support;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The API's template with a switch: while {@link #broken} is set, every transaction fails as if the broker were gone.
 * The real bound on a dead broker is EventPublisherTest's; this one checks what the official clients see.
 */
public class DispatchSwitch extends KafkaTemplate<String, Object> {

    public static final AtomicBoolean broken = new AtomicBoolean();

    DispatchSwitch(ProducerFactory<String, Object> factory) {
        super(factory);
    }

    @Override
    public <T> T executeInTransaction(OperationsCallback<String, Object, T> callback) {
        if (broken.get()) {
            throw new KafkaException("broker unreachable (simulated)");
        }
        return super.executeInTransaction(callback);
    }
}
