package io.stopplane.bench;

import io.stopplane.access.KafkaLogin;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * (2) The raw Kafka chain the stop path cannot beat: the same three hops (the API's StopCommand to the agent, the
 * agent's report to the dispatcher, the dispatcher's state to the reader) as produce → consume → produce →
 * consume → produce → consume with plain clients, on the same broker, records of the same sizes with the same
 * CloudEvents headers, {@code acks=all} and idempotence as the services' producers, {@code linger.ms=0}, on topics
 * with the same partition count; at the same rate and for as long as (1). The latency of a chain is from the instant
 * its first send was due to the last consumer's poll that returned its record.
 */
final class RawChainBench {

    static final String[] TOPICS = {"bench-chain-1", "bench-chain-2", "bench-chain-3"};

    record Result(Histogram chain, double ratePerSecond, int sent, int lost, int[] recordBytes,
            Map<String, Double> cpu) {
    }

    private final BenchContext ctx;

    RawChainBench(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** The serialized sizes (value + headers) of the records of the three hops of a stop, built from real objects. */
    static List<Record> sampleRecords() {
        Instant now = Instant.now();
        InvokeId invoke = InvokeId.random();
        InstanceId instance = InstanceId.of("i-bench0001");
        StopCommand stop = new StopCommand(UUID.randomUUID().toString(), invoke, instance, now,
                UUID.randomUUID().toString().toUpperCase());
        InstanceStatusReported report = new InstanceStatusReported(UUID.randomUUID().toString(), invoke, now, instance,
                InstanceStatus.TERMINATED, 143, "ExecutionInterrupted",
                "the command was stopped: SIGTERM, exit status 143", "", 0);
        CommandSpec spec = new CommandSpec(CommandId.random(), "stopplane-bench", null, CommandSpec.RUN_SHELL_SCRIPT,
                "sleep 600", 3600, "root", "/tmp", null);
        InstanceState is = new InstanceState(instance, InstanceStatus.TERMINATED, 143, "ExecutionInterrupted",
                "the command was stopped: SIGTERM, exit status 143", null, 0, now, now, now, now, now);
        InvocationState state = new InvocationState(invoke, RegionId.of("cn-hangzhou"), spec, now, now, List.of(is), 4,
                null, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "1000000000000001");
        List<Record> out = new ArrayList<>();
        out.add(new Record(instance.value(), StopPlaneJson.mapper().writerFor(
                io.stopplane.model.command.InstanceCommand.class).writeValueAsBytes(stop),
                CloudEvents.of(stop, "/stopplane/api-service")));
        out.add(new Record(invoke.value(), StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                .writeValueAsBytes(report), CloudEvents.of(report, "/stopplane/agent/bench")));
        out.add(new Record(invoke.value(), StopPlaneJson.mapper().writeValueAsBytes(state),
                CloudEvents.of(state, "/stopplane/dispatcher")));
        return out;
    }

    record Record(String key, byte[] value, Map<String, String> headers) {

        int bytes() {
            int n = key.length() + value.length;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                n += h.getKey().length() + h.getValue().length();
            }
            return n;
        }

        List<Header> kafkaHeaders(int seq) {
            List<Header> hs = new ArrayList<>();
            headers.forEach((k, v) -> hs.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
            hs.add(new RecordHeader("bench-seq", ByteBuffer.allocate(4).putInt(seq).array()));
            return hs;
        }
    }

    Result run() throws Exception {
        BenchConfig c = ctx.config;
        List<Record> records = sampleRecords();
        BenchKafka.recreateLikeInvocationEvents(ctx.admin, TOPICS);
        double rate = c.stopRate();
        int warm = (int) (c.warmupSeconds() * rate);
        int total = warm + (int) (c.measureSeconds() * rate);
        long[] due = new long[total];
        Latency chain = new Latency();
        chain.counting(true);
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p1 = producer("1"); KafkaProducer<String, byte[]> p2 = producer("2");
                KafkaProducer<String, byte[]> p3 = producer("3")) {
            KafkaConsumer<String, byte[]> c1 = consumer(TOPICS[0], "1");
            KafkaConsumer<String, byte[]> c2 = consumer(TOPICS[1], "2");
            KafkaConsumer<String, byte[]> c3 = consumer(TOPICS[2], "3");
            threads.add(relay(c1, p2, TOPICS[1], records.get(1), running));
            threads.add(relay(c2, p3, TOPICS[2], records.get(2), running));
            threads.add(new Thread(() -> {
                try {
                    while (running.get()) {
                        var batch = c3.poll(Duration.ofMillis(100));
                        long at = System.nanoTime();
                        for (ConsumerRecord<String, byte[]> r : batch) {
                            int seq = seq(r);
                            if (seq >= warm && seq < total) {
                                chain.recordNanos(at - due[seq]);
                            }
                            received.incrementAndGet();
                        }
                    }
                } catch (WakeupException e) {
                    // done
                } finally {
                    c3.close(Duration.ofSeconds(1));
                }
            }, "bench-chain-end"));
            threads.forEach(Thread::start);
            // every producer connected and every consumer positioned before the clock starts
            p1.partitionsFor(TOPICS[0]);
            p2.partitionsFor(TOPICS[1]);
            p3.partitionsFor(TOPICS[2]);
            Thread.sleep(1500);
            ctx.progress.phase(String.format("(2) raw Kafka chain: %d chains at %.0f/s (first %d not counted)", total,
                    rate, warm), () -> String.format("%d through, %s", received.get(),
                            Latency.brief(chain.snapshot())));
            Record first = records.get(0);
            CpuAccount cpu = ctx.cpu();
            long t0 = System.nanoTime() + 100_000_000L;
            double interval = 1e9 / rate;
            for (int i = 0; i < total; i++) {
                due[i] = t0 + (long) (i * interval);
                OpenLoop.waitUntil(due[i]);
                // a key per chain, as each stop has its own instance and invocation
                p1.send(new ProducerRecord<>(TOPICS[0], null, "i-bench" + (i % 400), first.value(),
                        first.kafkaHeaders(i)));
            }
            long end = System.nanoTime() + 10_000_000_000L;
            while (received.get() < total && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Map<String, Double> cpuUsed = cpu.stop();
            running.set(false);
            c1.wakeup();
            c2.wakeup();
            c3.wakeup();
            for (Thread t : threads) {
                t.join(5000);
            }
            BenchKafka.deleteTopics(ctx.admin, TOPICS);
            int[] sizes = records.stream().mapToInt(Record::bytes).toArray();
            Result result = new Result(chain.snapshot(), rate, total, total - received.get(), sizes, cpuUsed);
            ctx.progress.say(String.format("(2) raw Kafka chain (3 hops, records of %d/%d/%d bytes, acks=all): %s; "
                    + "%d lost", sizes[0], sizes[1], sizes[2], Latency.brief(result.chain()), result.lost()));
            ctx.progress.say("(2) CPU seconds: " + cpuUsed);
            return result;
        }
    }

    private Thread relay(KafkaConsumer<String, byte[]> in, KafkaProducer<String, byte[]> out, String topic,
            Record shape, AtomicBoolean running) {
        return new Thread(() -> {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : in.poll(Duration.ofMillis(100))) {
                        out.send(new ProducerRecord<>(topic, null, "t-" + r.key(), shape.value(),
                                shape.kafkaHeaders(seq(r))));
                    }
                }
            } catch (WakeupException e) {
                // done
            } finally {
                in.close(Duration.ofSeconds(1));
            }
        }, "bench-chain-relay-" + topic);
    }

    private static int seq(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader("bench-seq");
        return ByteBuffer.wrap(h.value()).getInt();
    }

    private KafkaProducer<String, byte[]> producer(String id) {
        Properties p = BenchKafka.durableProducer(ctx.config.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "stopplane-bench-chain-" + id);
        return BenchKafka.producer(p);
    }

    private KafkaConsumer<String, byte[]> consumer(String topic, String id) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.config.bootstrap());
        p.putAll(KafkaLogin.fromEnvironment());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "stopplane-bench-chain-" + id);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        return consumer;
    }
}
