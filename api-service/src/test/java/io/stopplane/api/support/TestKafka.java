package io.stopplane.api.support;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.topic.Topics;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;

/** Plays the other services' parts on the broker: agents' heartbeats and status reports. */
public class TestKafka implements DisposableBean {

    private final KafkaProducer<String, String> producer;

    TestKafka(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    public void heartbeat(String instanceId, String region, String accountId) {
        heartbeat(new AgentHeartbeat(InstanceId.of(instanceId), RegionId.of(region), accountId, "2.5.3.0",
                "host-" + instanceId, Instant.now()));
    }

    public void heartbeat(AgentHeartbeat beat) {
        send(Topics.AGENT_HEARTBEATS.name(), beat.instanceId().value(),
                StopPlaneJson.mapper().writeValueAsString(beat));
    }

    /** An event as an agent or the dispatcher would append it (the InvocationEvent type id included). */
    public void event(InvocationEvent event) {
        send(Topics.INVOCATION_EVENTS.name(), event.invokeId().value(),
                StopPlaneJson.mapper().writerFor(InvocationEvent.class).writeValueAsString(event));
    }

    /** A registry event as a gateway would append it (the RegistryEvent type id included). */
    public void registryEvent(RegistryEvent event) {
        send(Topics.REGISTRY_EVENTS.name(), event.activationId(),
                StopPlaneJson.mapper().writerFor(RegistryEvent.class).writeValueAsString(event));
    }

    private void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
