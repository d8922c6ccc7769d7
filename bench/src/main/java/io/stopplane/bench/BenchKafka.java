package io.stopplane.bench;

import io.stopplane.access.KafkaLogin;
import io.stopplane.model.topic.Topics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka plumbing the phases share: producers as durable as the services', scratch topics like theirs. */
final class BenchKafka {

    private BenchKafka() {
    }

    /** {@code acks=all} and idempotent, as the services' producers; the caller adds linger and the rest. */
    static Properties durableProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.putAll(KafkaLogin.fromEnvironment());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    static KafkaProducer<String, byte[]> producer(Properties p) {
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Creates the topics afresh (deleting those an earlier run left) with the partition count and replication of
     * {@code invocation-events}.
     */
    static void recreateLikeInvocationEvents(Admin admin, String... names) throws Exception {
        TopicDescription events = admin.describeTopics(List.of(Topics.INVOCATION_EVENTS.name())).allTopicNames().get()
                .get(Topics.INVOCATION_EVENTS.name());
        int partitions = events.partitions().size();
        short replication = (short) events.partitions().get(0).replicas().size();
        deleteTopics(admin, names);
        List<NewTopic> topics = new ArrayList<>();
        for (String t : names) {
            topics.add(new NewTopic(t, partitions, replication));
        }
        admin.createTopics(topics).all().get();
    }

    /** Deletes those of the topics that exist, best effort. */
    static void deleteTopics(Admin admin, String... names) {
        try {
            var existing = admin.listTopics().names().get();
            List<String> mine = Arrays.stream(names).filter(existing::contains).toList();
            if (!mine.isEmpty()) {
                admin.deleteTopics(mine).all().get();
                // deletion is asynchronous on the broker: wait until the names are free again
                for (int i = 0; i < 100 && admin.listTopics().names().get().stream().anyMatch(mine::contains); i++) {
                    Thread.sleep(100);
                }
            }
        } catch (Exception e) {
            // best effort
        }
    }
}
