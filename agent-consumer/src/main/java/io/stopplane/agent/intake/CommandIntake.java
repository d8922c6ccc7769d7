package io.stopplane.agent.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.process.ProcessSupervisor;
import io.stopplane.agent.process.ShutdownFirst;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.kafka.DeadLetters;
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
import tools.jackson.databind.ObjectReader;

/**
 * Reads this agent's commands on a thread of its own. It assigns itself only the partitions its instances hash to (a
 * group subscription would hand it everyone's partitions), and positions and commits them before reporting ready, so a
 * brand-new agent never runs commands from before it registered while a restarted one resumes where it committed.
 * Before reading anything, the supervisor takes over what the previous run of the agent left running; before starting
 * anything, the backlog is read to its end once for its stops, so that a run stopped while the agent was away never
 * starts. A record keyed by a hosted instance that is not a command for it (unreadable, empty, or for another
 * instance) goes to {@code instance-commands-dlt} ({@link DeadLetters}, with this agent's group in the headers) and
 * the intake goes on: the batch's other commands run and its offsets are committed past the poison one.
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
    private final DeadLetters deadLetters;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InstanceCommand.class);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Consumer<String, byte[]> consumer;
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
        this.deadLetters = consumers.deadLetters(meters);
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
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                // With the broker gone the thread may sit in a commit or in the consumer's close (30 s): do not hold
                // the shutdown for it (the running commands were killed before this stop; a command the thread hands
                // over after that is not started by the supervisor, which is closing).
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deadLetters.close();
    }

    /** After the running commands were given their end: see {@link ShutdownFirst}. */
    @Override
    public int getPhase() {
        return ShutdownFirst.LATER;
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
        try (Consumer<String, byte[]> c = consumers.create();
                KafkaClientMetrics metrics = new KafkaClientMetrics(c)) {
            metrics.bindTo(meters);
            consumer = c;
            while (running && assignment.isEmpty()) {
                assignment = position(c);
            }
            while (running && backlog == null) {
                backlog = Backlog.scan(c, this::peek, () -> running);
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
    private Set<TopicPartition> position(Consumer<String, byte[]> c) {
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

    private static int topicPartitionCount(Consumer<String, byte[]> c) {
        List<PartitionInfo> partitions = c.partitionsFor(TOPIC, Duration.ofSeconds(5));
        return partitions == null ? 0 : partitions.size();
    }

    private void pollOnce(Consumer<String, byte[]> c) {
        ConsumerRecords<String, byte[]> records = c.poll(POLL);
        if (records.isEmpty()) {
            return;
        }
        List<InstanceCommand> mine = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            InstanceCommand command = mine(record, c);
            if (command != null) {
                mine.add(command);
            }
        }
        handler.handle(mine, backlog.stopsAhead(c));
        commit(c);
    }

    /** The backlog's look: the command if it is for a hosted instance and readable, else null; no dead letters. */
    private InstanceCommand peek(ConsumerRecord<String, byte[]> record) {
        if (!hostedKey(record)) {
            return null;
        }
        try {
            return command(record);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The command if it is for a hosted instance; null if not, or if it is unreadable (then dead-lettered). */
    private InstanceCommand mine(ConsumerRecord<String, byte[]> record, Consumer<String, byte[]> c) {
        if (!hostedKey(record)) {
            return null;
        }
        try {
            return command(record);
        } catch (RuntimeException e) {
            deadLetters.send(DeadLetters.raw(record), c, e);
            return null;
        }
    }

    /** Partitions are shared with other agents' instances: keys decide, and only the hosting agent dead-letters. */
    private boolean hostedKey(ConsumerRecord<String, byte[]> record) {
        return record.key() != null && hosted.contains(record.key());
    }

    private InstanceCommand command(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("no command: a record without a value");
        }
        InstanceCommand command = reader.readValue(record.value());
        if (command == null) {
            throw new IllegalArgumentException("no command: a JSON null");
        }
        if (!command.instanceId().value().equals(record.key())) {
            throw new IllegalArgumentException("a command for instanceId=" + command.instanceId() + " keyed "
                    + record.key());
        }
        return command;
    }

    private void commit(Consumer<String, byte[]> c) {
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
