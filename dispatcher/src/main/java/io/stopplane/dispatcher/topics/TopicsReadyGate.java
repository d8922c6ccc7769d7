package io.stopplane.dispatcher.topics;

import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Holds the folds' start until their source topics are visible with all its partitions and leaders, so that a topic created
 * a moment ago does not start the client on partial metadata.
 */
@Component
class TopicsReadyGate implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TopicsReadyGate.class);
    private static final List<String> SOURCES = List.of(Topics.INVOCATION_EVENTS.name(),
            Topics.REGISTRY_EVENTS.name());

    private final KafkaAdmin admin;
    private volatile boolean running;

    TopicsReadyGate(KafkaAdmin admin) {
        this.admin = admin;
    }

    @Override
    public void start() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin client = Admin.create(admin.getConfigurationProperties())) {
            while (System.nanoTime() < deadline) {
                try {
                    Map<String, TopicDescription> topics = client.describeTopics(SOURCES).allTopicNames().get();
                    if (topics.values().stream().allMatch(t -> !t.partitions().isEmpty()
                            && t.partitions().stream().allMatch(p -> p.leader() != null))) {
                        running = true;
                        return;
                    }
                } catch (Exception e) {
                    LOG.info("waiting for topics {}: {}", SOURCES, e.getMessage());
                }
                try {
                    Thread.sleep(200); // a start-up wait for the broker, not a test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        LOG.warn("topics {} not ready after 60 s; starting the fold anyway", SOURCES);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the streams client, which starts in the phase of {@link StreamsBuilderFactoryBean}. */
    @Override
    public int getPhase() {
        return StreamsBuilderFactoryBean.DEFAULT_PHASE - 100;
    }
}
