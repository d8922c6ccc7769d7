package io.stopplane.api.view;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;

/**
 * Reads all of {@code invocation-state} from the beginning, then follows it, into the {@link InvocationView}. No
 * consumer group: every API instance keeps the whole view. Reads only committed records: the dispatcher writes
 * transactionally.
 */
class StateTopicReader implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicReader.class);

    private final Map<String, Object> consumerConfig;
    private final InvocationView view;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private volatile KafkaConsumer<String, InvocationState> consumer;
    private Thread thread;

    StateTopicReader(Map<String, Object> consumerConfig, InvocationView view) {
        this.consumerConfig = consumerConfig;
        this.view = view;
    }

    boolean caughtUp() {
        return caughtUp.get();
    }

    @Override
    public void start() {
        Map<String, Object> config = new java.util.HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        JacksonJsonDeserializer<InvocationState> values =
                new JacksonJsonDeserializer<>(InvocationState.class, StopPlaneJson.mapper(), false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
        running.set(true);
        thread = new Thread(this::run, "invocation-state-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, InvocationState> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        view.apply(r.value());
                    } else if (r.key() != null && InvokeId.isValid(r.key())) {
                        view.remove(InvokeId.of(r.key()));
                    }
                }
                if (!caughtUp.get() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.set(true);
                    LOG.info("invocation-state view caught up: {} invocations", view.all().size());
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("invocation-state reader failed", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The dispatcher creates the state topic; until it has, wait for it rather than fail. */
    private List<TopicPartition> awaitPartitions() {
        while (running.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.INVOCATION_STATE.name(), Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            LOG.info("waiting for topic {}", Topics.INVOCATION_STATE.name());
        }
        throw new WakeupException();
    }

    @Override
    public void stop() {
        running.set(false);
        KafkaConsumer<String, InvocationState> c = consumer;
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
        return running.get();
    }
}
