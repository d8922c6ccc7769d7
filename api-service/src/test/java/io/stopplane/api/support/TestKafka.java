package io.stopplane.api.support;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.kafka.TopicRecords;
import io.stopplane.model.topic.TopicRecord;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
        TopicRecords.sendAndWait(producer, TopicRecord.of(beat));
    }

    /** An event as an agent or the dispatcher would append it (the InvocationEvent type id included). */
    public void event(InvocationEvent event) {
        TopicRecords.sendAndWait(producer, TopicRecord.of(event));
    }

    /** A registry event as a gateway would append it (the RegistryEvent type id included). */
    public void registryEvent(RegistryEvent event) {
        TopicRecords.sendAndWait(producer, TopicRecord.of(event));
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
