package io.stopplane.audit.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs the sinks of a replay on worker threads while the consumer thread fetches: each partition is bound to one lane
 * (a single thread), so its records reach its sink one at a time and in offset order, while partitions on different
 * lanes proceed in parallel. Parsing and folding are most of a replay's work; this is what uses the second core.
 */
final class Lanes implements AutoCloseable {

    /** Batches handed over and not yet done: bounds the memory a slow sink can make the fetcher hold. */
    private static final int IN_FLIGHT_PER_LANE = 4;

    private final ExecutorService[] lanes;
    private final Map<TopicPartition, Integer> laneOf = new HashMap<>();
    private final Map<TopicPartition, RecordSink> sinks = new HashMap<>();
    private final Map<TopicPartition, Long> end;
    private final Set<TopicPartition> stopped = ConcurrentHashMap.newKeySet();
    private final Semaphore inFlight;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    Lanes(List<TopicPartition> partitions, Map<TopicPartition, Long> end,
            Function<TopicPartition, RecordSink> sinkOf) {
        this.end = end;
        int n = Math.max(1, Math.min(partitions.size(), Runtime.getRuntime().availableProcessors()));
        this.lanes = new ExecutorService[n];
        for (int i = 0; i < n; i++) {
            String name = "audit-lane-" + i;
            lanes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        for (int i = 0; i < partitions.size(); i++) {
            laneOf.put(partitions.get(i), i % n);
            sinks.put(partitions.get(i), sinkOf.apply(partitions.get(i)));
        }
        this.inFlight = new Semaphore(n * IN_FLIGHT_PER_LANE);
    }

    /** Hands a fetched batch of one partition to its lane; blocks while too many batches are waiting. */
    void submit(TopicPartition tp, List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        inFlight.acquire();
        lanes[laneOf.get(tp)].execute(() -> {
            try {
                run(tp, batch);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                inFlight.release();
            }
        });
    }

    private void run(TopicPartition tp, List<ConsumerRecord<String, byte[]>> batch) {
        long last = end.get(tp);
        RecordSink sink = sinks.get(tp);
        for (ConsumerRecord<String, byte[]> r : batch) {
            if (r.offset() >= last || stopped.contains(tp)) {
                return; // written after the replay began, or past what the sink wants
            }
            records.increment();
            bytes.add(Math.max(0, r.serializedValueSize()));
            if (!sink.accept(r)) {
                stopped.add(tp);
                return;
            }
        }
    }

    /** True once the partition's sink said it wants nothing more. */
    boolean stopped(TopicPartition tp) {
        return stopped.contains(tp);
    }

    /** Rethrows on the fetching thread what a sink threw. */
    void check() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Waits until every handed-over batch is done. */
    void drain() throws InterruptedException {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            while (!lane.awaitTermination(1, TimeUnit.SECONDS)) {
                check();
            }
        }
        check();
    }

    long records() {
        return records.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }
}
