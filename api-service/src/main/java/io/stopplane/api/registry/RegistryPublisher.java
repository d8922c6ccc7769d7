package io.stopplane.api.registry;

import io.stopplane.api.publish.RecordWriter;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.topic.Topics;
import org.springframework.stereotype.Component;

/**
 * Writes one registry event to {@code registry-events} (key: the activation id), committed before it returns (see
 * {@link RecordWriter}), so the fold (read_committed) sees it exactly once.
 */
@Component
public class RegistryPublisher {

    private final RecordWriter writer;

    RegistryPublisher(RecordWriter writer) {
        this.writer = writer;
    }

    public void publish(RegistryEvent event) {
        writer.write(Topics.REGISTRY_EVENTS.name(), event.activationId(), event,
                CloudEvents.of(event, RecordWriter.SOURCE));
    }
}
