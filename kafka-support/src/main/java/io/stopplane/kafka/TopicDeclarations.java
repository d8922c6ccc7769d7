package io.stopplane.kafka;

import io.stopplane.model.topic.TopicSpec;
import java.util.Arrays;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The one way a service declares topics of the catalogue for its {@code KafkaAdmin} to create where missing: each with
 * the catalogue's configs and the deployment's partitions and replication. A service declares what it writes, the
 * dead-letter topics of what it reads, and a topic it reads before its writer may have created it.
 */
public final class TopicDeclarations {

    private TopicDeclarations() {
    }

    /** The topics, and none of their dead-letter topics. */
    public static KafkaAdmin.NewTopics topics(TopicsProperties sizing, TopicSpec... specs) {
        return new KafkaAdmin.NewTopics(Arrays.stream(specs).map(s -> topic(s, sizing)).toArray(NewTopic[]::new));
    }

    /** The dead-letter topics of these topics ({@link TopicSpec#deadLetter()}). */
    public static KafkaAdmin.NewTopics deadLetters(TopicsProperties sizing, TopicSpec... read) {
        return new KafkaAdmin.NewTopics(Arrays.stream(read).map(s -> topic(s.deadLetter(), sizing))
                .toArray(NewTopic[]::new));
    }

    static NewTopic topic(TopicSpec spec, TopicsProperties sizing) {
        return TopicBuilder.name(spec.name()).partitions(sizing.partitions()).replicas(sizing.replicationFactor())
                .configs(spec.configs()).build();
    }
}
