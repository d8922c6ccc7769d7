package io.stopplane.gateway.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.ReaderLoop;
import io.stopplane.kafka.TopicFollower;
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
import org.apache.kafka.common.TopicPartition;
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
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final Pending pending;
    private final Duration replay;
    private final Duration finalRetention;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InstanceCommand.class);
    private final ReaderLoop loop;
    private volatile boolean caughtUp;
    /** Only on the loop's thread. */
    private Map<TopicPartition, Long> end;
    private Instant nextSweep = Instant.MIN;

    CommandFeed(Map<String, Object> consumerConfig, Pending pending, Duration replay, Duration finalRetention,
            DeadLetters deadLetters, MeterRegistry meters, Clock clock) {
        this.pending = pending;
        this.replay = replay;
        this.finalRetention = finalRetention;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.loop = new ReaderLoop(TOPIC, "feed", TopicFollower.readerConfig(consumerConfig), meters,
                ReaderLoop.Reader.of(this::position, this::take));
    }

    boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void start() {
        loop.start();
    }

    /** Assigns every partition and seeks to where the replay starts; keeps the end offsets to catch up to. */
    private void position(KafkaConsumer<String, byte[]> consumer) {
        // while the topic is missing: the api-service creates it; an empty topic has no command to deliver, so nothing
        // is missed meanwhile
        List<TopicPartition> partitions = loop.partitions(consumer, () -> caughtUp = true);
        consumer.assign(partitions);
        end = consumer.endOffsets(partitions);
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
    }

    private void take(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> consumer) {
        take(records);
        if (!caughtUp && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            caughtUp = true;
            log.info("{} caught up", TOPIC);
        }
        sweep();
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

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
