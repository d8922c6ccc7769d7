package io.stopplane.agent.intake;

import io.stopplane.agent.task.TaskKey;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.StopCommand;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands that were waiting for the agent when it started, read once to their end before any is handled. Only
 * the stops are kept (a few keys, however long the backlog), so that a run whose stop comes later in the backlog, in
 * another poll, is cancelled rather than started and killed a moment later.
 */
final class Backlog {

    private static final Logger log = LoggerFactory.getLogger(Backlog.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<TopicPartition, Long> end;
    private Set<TaskKey> stops;

    private Backlog(Map<TopicPartition, Long> end, Set<TaskKey> stops) {
        this.end = end;
        this.stops = stops;
    }

    /**
     * Reads from the consumer's positions to the end offsets (the last stable offsets under read_committed), then seeks
     * back.
     *
     * @param mine the hosted, readable command of a record, or null
     * @return null if the broker failed us: the caller retries
     */
    static Backlog scan(Consumer<String, byte[]> c,
            Function<ConsumerRecord<String, byte[]>, InstanceCommand> mine, BooleanSupplier running) {
        Map<TopicPartition, Long> start = new HashMap<>();
        c.assignment().forEach(tp -> start.put(tp, c.position(tp)));
        try {
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(c.assignment()));
            Set<TaskKey> stops = new HashSet<>();
            int records = 0;
            while (running.getAsBoolean() && !reached(c, end)) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    records++;
                    InstanceCommand command = mine.apply(record);
                    if (command instanceof StopCommand) {
                        stops.add(TaskKey.of(command));
                    }
                }
            }
            log.info("Backlog: {} record(s) up to {}, {} stop(s) for hosted instances", records, end, stops.size());
            return new Backlog(end, stops);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("Reading the backlog failed, retrying: {}", e.toString());
            return null;
        } finally {
            start.forEach(c::seek);
        }
    }

    /** The stops still ahead in the backlog; none once the consumer has read past it. */
    Set<TaskKey> stopsAhead(Consumer<String, byte[]> c) {
        if (!stops.isEmpty() && reached(c, end)) {
            stops = Set.of();
        }
        return stops;
    }

    private static boolean reached(Consumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }
}
