package io.stopplane.dispatcher.state;

import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.kafka.DeadLetters;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The latest heartbeat of every instance, followed from the compacted {@code agent-heartbeats} topic. The timers only ask
 * "is this agent alive now?", a wall-clock question, so a plain follower is enough: it needs no exactly-once and must not
 * hold the fold back while the agents' topic does not exist yet. A heartbeat it cannot read goes to
 * {@code agent-heartbeats-dlt} (see {@link DeadLetters}) and the table goes on.
 */
@Component
public class HeartbeatTable implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatTable.class);

    private final Map<String, Object> config;
    private final DeadLetters deadLetters;
    private final Map<InstanceId, AgentHeartbeat> latest = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    @Autowired
    HeartbeatTable(KafkaProperties kafka, DeadLetters deadLetters) {
        this(kafka.buildConsumerProperties(), deadLetters);
    }

    HeartbeatTable(Map<String, Object> consumerConfig, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        Map<String, Object> c = new HashMap<>(consumerConfig);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.config = c;
    }

    /** The latest heartbeat of an instance, or null. */
    public AgentHeartbeat get(InstanceId instanceId) {
        return latest.get(instanceId);
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::follow, "agent-heartbeats-table");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    read(r);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("agent-heartbeats follower failed", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || !InstanceId.isValid(r.key())) {
            return;
        }
        if (r.value() == null) {
            latest.remove(InstanceId.of(r.key()));
            return;
        }
        try {
            AgentHeartbeat beat = StopPlaneJson.mapper().readValue(r.value(), AgentHeartbeat.class);
            latest.put(beat.instanceId(), beat);
        } catch (RuntimeException e) {
            deadLetters.send(DeadLetters.raw(r), e);
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.AGENT_HEARTBEATS.name(), Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            try {
                Thread.sleep(1000); // the agents' topic does not exist yet: look again in a second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new WakeupException();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
