package io.stopplane.gateway.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The gateway's one producer (idempotent, acks=all), for agents' reports, their heartbeats and registration requests:
 * however many agents are connected, Kafka sees this one client.
 */
public class Publisher {

    private final KafkaTemplate<String, Object> template;

    Publisher(KafkaTemplate<String, Object> template) {
        this.template = template;
    }

    /** Completes when the broker acknowledged the record (all in-sync replicas), exceptionally if it did not. */
    public CompletableFuture<Void> send(String topic, String key, Object value, Map<String, String> headers) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(UTF_8)));
        try {
            return template.send(record).thenApply(result -> null);
        } catch (RuntimeException e) {
            // metadata or buffer wait exceeded max.block.ms: the broker is away
            return CompletableFuture.failedFuture(e);
        }
    }
}
