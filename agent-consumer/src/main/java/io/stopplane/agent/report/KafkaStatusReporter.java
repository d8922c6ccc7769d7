package io.stopplane.agent.report;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.topic.Topics;
import io.stopplane.model.event.CloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Writes reports to {@code invocation-events}, keyed by invoke id so that they follow the invocation's other events. */
@Component
class KafkaStatusReporter implements StatusReporter {

    private static final Logger log = LoggerFactory.getLogger(KafkaStatusReporter.class);

    private final KafkaTemplate<String, InvocationEvent> template;
    private final String source;

    KafkaStatusReporter(KafkaTemplate<String, InvocationEvent> reportTemplate, AgentProperties props) {
        this.template = reportTemplate;
        this.source = "/stopplane/agent/" + props.id();
    }

    @Override
    public CompletableFuture<Void> report(TaskKey key, TaskOutcome outcome) {
        Instant now = Instant.now();
        InstanceStatusReported event = new InstanceStatusReported(UUID.randomUUID().toString(), key.invokeId(), now,
                key.instanceId(), outcome.status(), outcome.exitCode(),
                outcome.error() == null ? null : outcome.error().code(), outcome.errorInfo(), outcome.output(),
                outcome.dropped());
        ProducerRecord<String, InvocationEvent> record =
                new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(), key.invokeId().value(), event);
        CloudEvents.of(event, source).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        log.info("Reporting {} exitCode={} errorCode={} for {}", outcome.status().wireName(), outcome.exitCode(),
                event.errorCode(), key);
        return template.send(record).handle((result, error) -> {
            if (error != null) {
                log.error("Could not report {} for {}", outcome.status().wireName(), key, error);
                throw new IllegalStateException("report not delivered for " + key, error);
            }
            return null;
        });
    }
}
