package io.stopplane.bench;

import io.stopplane.access.KafkaLogin;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.ObjectReader;

/**
 * Follows {@code invocation-state} from its end with a {@code read_committed} consumer, as the API's view does (no
 * group, every partition), and tells waiters when an invocation's committed state matches what they wait for. The time
 * of a match is taken when the poll that brought the record returned, before the bench parses anything. A target
 * record ({@code invokeId/instanceId}) is laid on the invocation's state, which it needs: an invocation whose state
 * passed while neither remembered, kept nor waited for is not seen again.
 */
final class StateWatcher implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InvocationState.class);
    private final ObjectReader targetReader = StopPlaneJson.mapper().readerFor(InvocationTarget.class);
    private final Map<String, InvocationState> latest = new HashMap<>();
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private final Set<String> kept = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong records = new AtomicLong();
    private volatile boolean remember = true;
    private final Thread thread;

    private record Waiter(Predicate<InvocationState> until, CompletableFuture<Long> seenAtNanos) {
    }

    StateWatcher(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.putAll(KafkaLogin.fromEnvironment());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "stopplane-bench-state-watcher");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.INVOCATION_STATE.name(), Duration.ofSeconds(30))
                .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve now: only what is committed from here on is seen
        thread = new Thread(this::run, "bench-state-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether to keep each invocation's latest state (off: only waited-for invocations are parsed, as when the
     * throughput and recovery phases write hundreds of thousands of them). Turning it off forgets all but what
     * {@link #keep} keeps.
     */
    synchronized void remember(boolean on) {
        remember = on;
        if (!on) {
            latest.keySet().retainAll(kept);
        }
    }

    /** Keeps this invocation's state even while {@link #remember} is off: call it before its first record is written. */
    synchronized void keep(String invokeId) {
        kept.add(invokeId);
    }

    long records() {
        return records.get();
    }

    /** Completes with the {@link System#nanoTime()} at which a committed state of {@code invokeId} matched. */
    CompletableFuture<Long> await(String invokeId, Predicate<InvocationState> until) {
        Waiter w = new Waiter(until, new CompletableFuture<>());
        synchronized (this) {
            InvocationState now = latest.get(invokeId);
            if (now != null && until.test(now)) {
                w.seenAtNanos.complete(System.nanoTime());
                return w.seenAtNanos;
            }
            waiters.computeIfAbsent(invokeId, k -> new ArrayList<>(2)).add(w);
        }
        return w.seenAtNanos;
    }

    CompletableFuture<Long> awaitAll(String invokeId, InstanceStatus status) {
        return await(invokeId, s -> allAre(s, status));
    }

    static boolean allAre(InvocationState s, InstanceStatus status) {
        for (InstanceState i : s.instances()) {
            if (i.status() != status) {
                return false;
            }
        }
        return true;
    }

    synchronized InvocationState latest(String invokeId) {
        return latest.get(invokeId);
    }

    private void run() {
        try {
            while (running.get()) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                long at = System.nanoTime();
                if (batch.isEmpty()) {
                    continue;
                }
                records.addAndGet(batch.count());
                for (ConsumerRecord<String, byte[]> r : batch) {
                    if (r.key() == null || r.value() == null) {
                        continue;
                    }
                    deliver(r.key(), r.value(), at);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void deliver(String recordKey, byte[] value, long at) {
        String key = InvocationState.invokeIdOf(recordKey);
        synchronized (this) {
            if (!remember && !waiters.containsKey(key) && !kept.contains(key)) {
                return;
            }
        }
        boolean target = InvocationState.isTargetKey(recordKey);
        InvocationState read = null;
        InvocationTarget targetRead = null;
        try {
            if (target) {
                targetRead = targetReader.readValue(value);
            } else {
                read = reader.readValue(value);
            }
        } catch (RuntimeException e) {
            return;
        }
        List<Waiter> done = null;
        synchronized (this) {
            InvocationState before = latest.get(key);
            if (target && before == null) {
                return; // nothing to lay it on
            }
            InvocationState state = target ? before.with(targetRead) : read;
            if (before == null || before.version() <= state.version()) {
                latest.put(key, state);
            }
            List<Waiter> ws = waiters.get(key);
            if (ws != null) {
                for (Iterator<Waiter> it = ws.iterator(); it.hasNext();) {
                    Waiter w = it.next();
                    if (w.until.test(state)) {
                        it.remove();
                        (done == null ? done = new ArrayList<>() : done).add(w);
                    }
                }
                if (ws.isEmpty()) {
                    waiters.remove(key);
                }
            }
            if (!remember && !waiters.containsKey(key) && !kept.contains(key)) {
                latest.remove(key);
            }
        }
        if (done != null) {
            for (Waiter w : done) {
                w.seenAtNanos.complete(at);
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
