package io.stopplane.dispatcher.state;

import io.stopplane.model.command.RunCommand;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.MDC;

/**
 * Applies the fold to each event and forwards what changed: the state when an invocation is created, then a record of
 * each target an event changed (the stores and {@code invocation-state} alike hold the state as created plus one record
 * per target, so a report costs one target's bytes, not the invocation's); checks the timers of unfinished
 * invocations on a wall-clock schedule and forwards what fired as events (which come back through the fold). On the
 * same schedule, a finished invocation past its retention is forgotten: tombstones for its state and its outputs, and
 * it leaves the store, so every reader of those topics (and the store) holds the live window, not the history. The
 * store, the outputs and the consumed offsets commit in one transaction (exactly_once_v2). Each record goes to the sink
 * of its topic by name; the value type is {@code Object} only because one processor feeds four sinks (the state's
 * takes two types).
 *
 * <p>A scheduled invocation's runs: a timer finds a run due and forwards it as an event ({@code TimeoutDetected} of
 * kind {@code Run}); when the fold takes it (once: a second copy of it is a no-op), the run's {@code RunCommand} goes to
 * {@code instance-commands} in the same transaction as the state that issued it, numbered, so that the gateway, the
 * agent and the reports tell each run from the others.
 */
class FoldProcessor implements Processor<String, InvocationEvent, String, Object> {

    static final String SOURCE = "/stopplane/dispatcher";

    private final Timers timers;
    private final Duration scanInterval;
    private final Set<String> fired = new HashSet<>();
    /**
     * The unfinished invocations' states as objects, the same as in the store: reading one back from the store parses its
     * JSON (profiled: a fan-out of 1,000 reports onto ten 100-instance invocations spent 28% of the dispatcher's CPU
     * there, most of it parsing timestamps), and every timer scan reads every unfinished one. Written with the store,
     * emptied whenever the task is (re)initialised or closed, so that it never outlives what the store holds.
     */
    private final Map<String, InvocationState> unfinished = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InvocationState> eldest) {
            return size() > MAX_CACHED;
        }
    };
    private static final int MAX_CACHED = 50_000;
    private ProcessorContext<String, Object> context;
    /** Each invocation's state as created; {@link #targets}: the latest record of each of its targets. */
    private KeyValueStore<String, InvocationState> store;
    private KeyValueStore<String, InvocationTarget> targets;
    private KeyValueStore<String, Long> active;
    /** Finished invocations by when they expire: "expiry millis (13 digits)/invokeId" → invokeId, oldest first. */
    private KeyValueStore<String, String> expiring;

    private final FoldMetrics metrics;

    private final Function<InstanceId, AgentHeartbeat> heartbeats;

    FoldProcessor(Timers timers, Duration scanInterval, FoldMetrics metrics,
            Function<InstanceId, AgentHeartbeat> heartbeats) {
        this.timers = timers;
        this.scanInterval = scanInterval;
        this.metrics = metrics;
        this.heartbeats = heartbeats;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        unfinished.clear();
        this.context = context;
        this.store = context.getStateStore(FoldTopology.STORE);
        this.targets = context.getStateStore(FoldTopology.TARGETS_STORE);
        this.active = context.getStateStore(FoldTopology.ACTIVE_STORE);
        this.expiring = context.getStateStore(FoldTopology.EXPIRY_STORE);
        context.schedule(scanInterval, PunctuationType.WALL_CLOCK_TIME, this::scan);
    }

    @Override
    public void process(Record<String, InvocationEvent> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        // what the fold logs carries the event's invokeId (and instanceId) in the MDC, as the other services' logs do
        MDC.put("invokeId", record.key());
        InstanceId instanceId = instanceOf(record.value());
        if (instanceId != null) {
            MDC.put("instanceId", instanceId.value());
        }
        try {
            fold(record);
        } finally {
            MDC.remove("invokeId");
            MDC.remove("instanceId");
        }
    }

    private static InstanceId instanceOf(InvocationEvent event) {
        if (event instanceof InstanceStatusReported report) {
            return report.instanceId();
        }
        return event instanceof TimeoutDetected timer ? timer.instanceId() : null;
    }

    private void fold(Record<String, InvocationEvent> record) {
        InvocationState before = state(record.key());
        InvocationState folded = InvocationFold.apply(before, record.value());
        if (folded != null && folded != before) {
            metrics.folded(record.value());
            recordStops(before, folded);
            // The store holds states without outputs, so a fold result carries only what this event reported.
            for (InstanceOutput output : folded.outputs()) {
                context.forward(new Record<>(output.key(), output, record.timestamp(),
                        headers(CloudEvents.headers(output.key(), CloudEvents.TYPE_PREFIX + "output.InstanceOutput",
                                SOURCE, output.at()))), FoldTopology.OUTPUTS_SINK);
            }
            InvocationState after = folded.withoutOutputs();
            issueRuns(before, after, record.timestamp());
            if (before == null || after.headDiffers(before)) {
                // Created, or modified (its command, schedule, parameters or targets changed): the record under the
                // invocation's key is the state whole again, so that every reader assembles the new one.
                store.put(record.key(), after);
                forward(record.key(), after, CloudEvents.of(after, SOURCE), record.timestamp());
            }
            if (before != null) {
                writeChangedTargets(before, after, record.timestamp());
            }
            if (after.invocationStatus().isFinal()) {
                unfinished.remove(record.key());
                active.delete(record.key());
                Instant finished = after.updateTime() != null ? after.updateTime()
                        : Instant.ofEpochMilli(record.timestamp());
                expiring.put(expiryKey(finished.plus(timers.retention()).toEpochMilli(), record.key()), record.key());
                metrics.finished(after.invocationStatus());
            } else {
                unfinished.put(record.key(), after);
                if (before == null) {
                    active.put(record.key(), after.creationTime().toEpochMilli());
                }
            }
        }
    }

    /** The RunCommand of each run the event issued (a target whose run number moved on, waiting for it to start). */
    private void issueRuns(InvocationState before, InvocationState after, long timestamp) {
        if (before == null || after.schedule() == null) {
            return;
        }
        for (int i = 0; i < after.instances().size(); i++) {
            InstanceState now = after.instances().get(i);
            InstanceState was = before.instance(now.instanceId()).orElse(null);
            if (now.delivering() && (was == null || !Objects.equals(now.run(), was.run()))) {
                // Its id is the run's own: a consumer may deduplicate by it.
                RunCommand run = new RunCommand(after.invokeId().value() + "/" + now.instanceId().value() + "/"
                        + now.run(), after.invokeId(), now.instanceId(), now.issuedAt(),
                        after.commandFor(now.instanceId()), now.run());
                context.forward(new Record<>(now.instanceId().value(), run, timestamp,
                        headers(CloudEvents.of(run, SOURCE))), FoldTopology.COMMANDS_SINK);
                metrics.runIssued();
            }
        }
    }

    /**
     * A record of each target the event changed, not the whole state: a 100-target invocation's report writes one
     * target's bytes to the store's changelog and to {@code invocation-state} (docs/architecture.md).
     */
    private void writeChangedTargets(InvocationState before, InvocationState after, long timestamp) {
        for (int i = 0; i < after.instances().size(); i++) {
            InstanceState now = after.instances().get(i);
            if (!now.equals(before.instance(now.instanceId()).orElse(null))) {
                String key = InvocationState.targetKey(after.invokeId(), now.instanceId());
                InvocationTarget target = after.target(now);
                targets.put(key, target);
                forward(key, target, CloudEvents.of(key, target, SOURCE), timestamp);
            }
        }
    }

    private void forward(String key, Object value, Map<String, String> cloudEvent, long timestamp) {
        context.forward(new Record<>(key, value, timestamp, headers(cloudEvent)), FoldTopology.STATE_SINK);
    }

    private InvocationState state(String invokeId) {
        InvocationState cached = unfinished.get(invokeId);
        return cached != null ? cached : stored(invokeId);
    }

    /** The state as created with the latest record of each target laid on it, as every reader assembles it. */
    private InvocationState stored(String invokeId) {
        InvocationState state = store.get(invokeId);
        if (state == null) {
            return null;
        }
        try (KeyValueIterator<String, InvocationTarget> it = targets.prefixScan(invokeId + "/",
                Serdes.String().serializer())) {
            while (it.hasNext()) {
                state = state.with(it.next().value);
            }
        }
        return state;
    }

    /** Each target this event took from Stopping to stopped: the time since its StopTime. */
    private void recordStops(InvocationState before, InvocationState after) {
        if (before == null) {
            return;
        }
        for (InstanceState now : after.instances()) {
            if (!now.status().isStopped()) {
                continue;
            }
            InstanceState was = before.instance(now.instanceId()).orElse(null);
            if (was != null && was.status() == InstanceStatus.STOPPING && was.stopTime() != null
                    && now.updateTime() != null) {
                metrics.stopped(now.status(), Duration.between(was.stopTime(), now.updateTime()));
            }
        }
    }

    private void scan(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        List<TimeoutDetected> due = new ArrayList<>();
        Map<InvocationStatus, Long> counts = new EnumMap<>(InvocationStatus.class);
        try (KeyValueIterator<String, Long> it = active.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> entry = it.next();
                InvocationState state = state(entry.key);
                if (state != null) {
                    counts.merge(state.invocationStatus(), 1L, Long::sum);
                    due.addAll(timers.due(state, now, heartbeats));
                }
            }
        }
        metrics.active(context.taskId().toString(), counts);
        for (TimeoutDetected t : due) {
            // In memory only: after a restart a timer may fire twice, and the fold ignores the second.
            // Keyed by the schedule's revision too: a timer of the new revision fires after a modification even
            // when one of the old, for the same run, fired (and was ignored by the fold) before it.
            if (fired.add(t.invokeId() + "/" + t.instanceId() + "/" + t.kind() + "/" + t.run() + "/"
                    + t.armedFor())) {
                metrics.timerFired(t);
                context.forward(new Record<>(t.invokeId().value(), t, wallClockMillis,
                        headers(CloudEvents.of(t, SOURCE))), FoldTopology.EVENTS_SINK);
            }
        }
        if (fired.size() > 100_000) {
            fired.clear();
        }
        expire(wallClockMillis);
    }

    /** Tombstones each finished invocation whose retention has passed (a late report may have moved its expiry on). */
    private void expire(long wallClockMillis) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = expiring.range(expiryKey(0, ""), expiryKey(wallClockMillis, ""))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            expiring.delete(entry.key);
            InvocationState state = stored(entry.value);
            if (state == null || !state.invocationStatus().isFinal() || (state.updateTime() != null
                    && state.updateTime().plus(timers.retention()).toEpochMilli() > wallClockMillis)) {
                continue;
            }
            for (InstanceState i : state.instances()) {
                String target = InvocationState.targetKey(state.invokeId(), i.instanceId());
                context.forward(new Record<>(InstanceOutput.key(state.invokeId(), i.instanceId()), null,
                        wallClockMillis), FoldTopology.OUTPUTS_SINK);
                context.forward(new Record<>(target, null, wallClockMillis), FoldTopology.STATE_SINK);
                targets.delete(target);
            }
            context.forward(new Record<>(entry.value, null, wallClockMillis), FoldTopology.STATE_SINK);
            store.delete(entry.value);
            unfinished.remove(entry.value);
            metrics.expired();
        }
    }

    private static String expiryKey(long millis, String invokeId) {
        return String.format("%013d/%s", millis, invokeId);
    }

    @Override
    public void close() {
        unfinished.clear();
        metrics.closed(context.taskId().toString());
    }

    private static Headers headers(Map<String, String> values) {
        RecordHeaders headers = new RecordHeaders();
        values.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

}
