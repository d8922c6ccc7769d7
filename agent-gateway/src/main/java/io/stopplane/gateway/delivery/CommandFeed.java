package io.stopplane.gateway.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.kafka.DeadLetters;
import io.stopplane.model.kafka.TopicFollower;
import io.stopplane.model.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.ObjectReader;

/**
 * The gateway's one reader of {@code instance-commands}: every partition, no consumer group, no offset commits (each
 * gateway reads every command, whatever the number of agents), into {@link Pending}, pushing each command to its
 * instance's connection as it is read. At start it reads from {@code replay} ago (null: the beginning, so the topic's
 * retention bounds it), since nothing records what a previous run delivered; {@link #caughtUp()} once it has read what
 * the topic held then. Not a {@link TopicFollower}: that one keeps a key's last record only, and a key (an instance)
 * has many commands here.
 *
 * <p>A record that is not a command for the instance it is keyed by goes to {@code instance-commands-dlt}.
 */
class CommandFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandFeed.class);
    private static final String TOPIC = Topics.INSTANCE_COMMANDS.name();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final Map<String, Object> consumerConfig;
    private final Pending pending;
    private final Duration replay;
    private final Duration finalRetention;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InstanceCommand.class);
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private Instant nextSweep = Instant.MIN;

    CommandFeed(Map<String, Object> consumerConfig, Pending pending, Duration replay, Duration finalRetention,
            DeadLetters deadLetters, MeterRegistry meters, Clock clock) {
        this.consumerConfig = TopicFollower.readerConfig(consumerConfig);
        this.pending = pending;
        this.replay = replay;
        this.finalRetention = finalRetention;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.clock = clock;
    }

    boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, TOPIC + "-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, Tags.of("reader", TOPIC))) {
            metrics.bindTo(meters);
            Map<TopicPartition, Long> end = null;
            while (running) {
                try {
                    if (end == null) {
                        end = position();
                    }
                    take(consumer.poll(POLL));
                    if (!caughtUp && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        caughtUp = true;
                        log.info("{} caught up", TOPIC);
                    }
                    sweep();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // the broker away for a while, or a timeout: the consumer keeps its positions and goes on where it
                    // was (a feed that died here would leave every agent without commands)
                    log.warn("{} feed: {}; trying again in {} s", TOPIC, e.toString(), RETRY.toSeconds());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition and seeks to where the replay starts; returns the end offsets to catch up to. */
    private Map<TopicPartition, Long> position() {
        List<TopicPartition> partitions;
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                break;
            }
            // the api-service creates it; an empty topic has no command to deliver, so nothing is missed meanwhile
            caughtUp = true;
            pause();
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        if (replay == null) {
            consumer.seekToBeginning(partitions);
        } else {
            long from = clock.instant().minus(replay).toEpochMilli();
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(
                    partitions.stream().collect(Collectors.toMap(Function.identity(), p -> from)));
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp start = starts.get(p);
                consumer.seek(p, start == null ? end.get(p) : start.offset());
            }
        }
        log.info("reading {} ({} partitions) from {}", TOPIC, partitions.size(),
                replay == null ? "the beginning" : replay + " ago");
        return end;
    }

    private void take(ConsumerRecords<String, byte[]> records) {
        Map<Pending.Subscriber, List<InstanceCommand>> pushes = new IdentityHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            InstanceCommand command;
            try {
                command = r.value() == null ? null : reader.readValue(r.value());
                if (command == null || !command.instanceId().value().equals(r.key())) {
                    throw new IllegalArgumentException("not a command for the instance it is keyed by");
                }
            } catch (RuntimeException e) {
                deadLetters.send(DeadLetters.raw(r), e);
                continue;
            }
            Pending.Subscriber to = pending.add(r.offset(), command);
            if (to != null) {
                pushes.computeIfAbsent(to, s -> new ArrayList<>()).add(command);
            }
        }
        // outside the instances' locks: a connection's welcome batch holds its own while it subscribes
        pushes.forEach(Pending.Subscriber::push);
    }

    private void sweep() {
        Instant now = clock.instant();
        if (caughtUp && now.isAfter(nextSweep)) {
            pending.sweep(now.minus(finalRetention), replay == null ? null : now.minus(replay));
            nextSweep = now.plus(SWEEP_EVERY);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
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
