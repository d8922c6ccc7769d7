package io.stopplane.agent.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.process.ProcessSupervisor;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads this agent's commands on a thread of its own. It assigns itself only the partitions its instances hash to (a
 * group subscription would hand it everyone's partitions), and positions and commits them before reporting ready, so a
 * brand-new agent never runs commands from before it registered while a restarted one resumes where it committed.
 * Before reading anything, the supervisor takes over what the previous run of the agent left running; before starting
 * anything, the backlog is read to its end once for its stops, so that a run stopped while the agent was away never
 * starts.
 */
@Component
class CommandIntake implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);
    private static final String TOPIC = Topics.INSTANCE_COMMANDS.name();
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final CommandConsumerFactory consumers;
    private final CommandBatchHandler handler;
    private final ProcessSupervisor supervisor;
    private final AgentProperties props;
    private final MeterRegistry meters;
    private final Set<String> hosted;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Consumer<String, InstanceCommand> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile Set<TopicPartition> assignment = Set.of();
    private Backlog backlog;
    private boolean announcedWait;

    CommandIntake(CommandConsumerFactory consumers, CommandBatchHandler handler, ProcessSupervisor supervisor,
            AgentProperties props, MeterRegistry meters) {
        this.consumers = consumers;
        this.handler = handler;
        this.supervisor = supervisor;
        this.props = props;
        this.meters = meters;
        this.hosted = props.instanceIds().stream().map(id -> id.value()).collect(Collectors.toUnmodifiableSet());
    }

    /** Positioned and committed on every partition: commands produced from now on will be run. */
    boolean isReady() {
        return !assignment.isEmpty() && running && thread != null && thread.isAlive();
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::consume, "agent-intake");
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        stopping.countDown();
        Consumer<String, InstanceCommand> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread == null) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void consume() {
        try {
            supervisor.recover();
        } catch (RuntimeException e) {
            log.error("Recovering the tasks of the previous run failed", e);
        }
        // A consumer Spring did not create: bind its client metrics (lag among them) here; unbound before it closes.
        try (Consumer<String, InstanceCommand> c = consumers.create();
                KafkaClientMetrics metrics = new KafkaClientMetrics(c)) {
            metrics.bindTo(meters);
            consumer = c;
            while (running && assignment.isEmpty()) {
                assignment = position(c);
            }
            while (running && backlog == null) {
                backlog = Backlog.scan(c, this::mine, () -> running);
                if (backlog == null) {
                    pause();
                }
            }
            while (running) {
                try {
                    pollOnce(c);
                } catch (WakeupException e) {
                    // stop(): the loop condition ends it
                } catch (KafkaException e) {
                    log.warn("Reading {} failed, retrying", TOPIC, e);
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stop() during start-up
        } catch (RuntimeException e) {
            log.error("Command intake failed; this agent runs no more commands", e);
        } finally {
            consumer = null;
            log.info("Command intake stopped");
        }
    }

    /** @return the assigned partitions, or none if the broker or the topic is not there yet (retried by the caller) */
    private Set<TopicPartition> position(Consumer<String, InstanceCommand> c) {
        try {
            int partitionCount = topicPartitionCount(c);
            if (partitionCount == 0) {
                // api-service owns and creates the topic: wait for it rather than fail, services start in any order.
                if (!announcedWait) {
                    log.info("Waiting for topic {} to exist", TOPIC);
                    announcedWait = true;
                }
                pause();
                return Set.of();
            }
            Set<TopicPartition> partitions = PartitionSelector.select(TOPIC, props.instanceIds(), partitionCount);
            c.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> start = partitions.stream()
                    .collect(Collectors.toMap(Function.identity(), tp -> new OffsetAndMetadata(c.position(tp))));
            c.commitSync(start);
            log.info("Ready: reading {} for {} from {}", partitions, hosted, start);
            return partitions;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.info("Not positioned on {} yet: {}", TOPIC, e.toString());
            pause();
            return Set.of();
        }
    }

    private static int topicPartitionCount(Consumer<String, InstanceCommand> c) {
        List<PartitionInfo> partitions = c.partitionsFor(TOPIC, Duration.ofSeconds(5));
        return partitions == null ? 0 : partitions.size();
    }

    private void pollOnce(Consumer<String, InstanceCommand> c) {
        ConsumerRecords<String, InstanceCommand> records = c.poll(POLL);
        if (records.isEmpty()) {
            return;
        }
        List<InstanceCommand> mine = new ArrayList<>();
        for (ConsumerRecord<String, InstanceCommand> record : records) {
            InstanceCommand command = mine(record, true);
            if (command != null) {
                mine.add(command);
            }
        }
        handler.handle(mine, backlog.stopsAhead(c));
        commit(c);
    }

    /** @return the command if it is for a hosted instance and readable, else null */
    private InstanceCommand mine(ConsumerRecord<String, InstanceCommand> record, boolean logSkips) {
        // Partitions are shared with other agents' instances: keys decide.
        if (record.key() == null || !hosted.contains(record.key())) {
            return null;
        }
        InstanceCommand command = record.value();
        if (command == null) {
            if (logSkips) {
                log.error("Skipping unreadable command for instanceId={} at {}-{}@{}", record.key(), record.topic(),
                        record.partition(), record.offset());
            }
            return null;
        }
        if (!command.instanceId().value().equals(record.key())) {
            if (logSkips) {
                log.error("Skipping command for instanceId={} keyed {} at {}-{}@{}", command.instanceId(),
                        record.key(), record.topic(), record.partition(), record.offset());
            }
            return null;
        }
        return command;
    }

    private void commit(Consumer<String, InstanceCommand> c) {
        try {
            c.commitSync();
        } catch (WakeupException e) {
            // A stop arrived while committing: the batch was handled, so its offsets must still be stored.
            c.commitSync();
        }
    }

    private void pause() {
        try {
            stopping.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
