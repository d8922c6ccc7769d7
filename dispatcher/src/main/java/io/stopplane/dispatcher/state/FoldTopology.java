package io.stopplane.dispatcher.state;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.Topics;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/**
 * {@code invocation-events → fold → invocation-state} and {@code invocation-outputs}, plus timer events back onto
 * {@code invocation-events}. The timers read agents' heartbeats from a {@link HeartbeatTable}.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class FoldTopology {

    static final String STORE = "invocation-state-store";
    static final String ACTIVE_STORE = "active-invocations-store";
    static final String EXPIRY_STORE = "expiring-invocations-store";

    @Autowired
    void build(StreamsBuilder builder, TimerProperties timerProps, MeterRegistry meters, HeartbeatTable heartbeats) {
        fold(builder, timerProps, new FoldMetrics(meters), heartbeats::get);
    }

    /** The fold's topology; {@code heartbeats}: each instance's latest, for the timers. */
    static void fold(StreamsBuilder builder, TimerProperties timerProps, FoldMetrics metrics,
            Function<InstanceId, AgentHeartbeat> heartbeats) {
        Serde<InvocationEvent> events = serde(InvocationEvent.class);
        Serde<InvocationState> states = serde(InvocationState.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), states));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVE_STORE), Serdes.String(),
                Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXPIRY_STORE), Serdes.String(),
                Serdes.String()));
        Timers timers = new Timers(timerProps);
        builder.stream(Topics.INVOCATION_EVENTS.name(), Consumed.with(Serdes.String(), events))
                .process(() -> new FoldProcessor(timers, timerProps.scanInterval(), metrics, heartbeats), STORE, ACTIVE_STORE,
                        EXPIRY_STORE)
                .split()
                .branch((key, value) -> value == Tombstone.STATE, Branched.withConsumer(s -> s
                        .mapValues(v -> (InvocationState) null)
                        .to(Topics.INVOCATION_STATE.name(), Produced.with(Serdes.String(), states))))
                .branch((key, value) -> value == Tombstone.OUTPUT, Branched.withConsumer(s -> s
                        .mapValues(v -> (InstanceOutput) null)
                        .to(Topics.INVOCATION_OUTPUTS.name(), Produced.with(Serdes.String(),
                                serde(InstanceOutput.class)))))
                .branch((key, value) -> value instanceof InvocationState, Branched.withConsumer(s -> s
                        .mapValues(v -> (InvocationState) v)
                        .to(Topics.INVOCATION_STATE.name(), Produced.with(Serdes.String(), states))))
                .branch((key, value) -> value instanceof InstanceOutput, Branched.withConsumer(s -> s
                        .mapValues(v -> (InstanceOutput) v)
                        .to(Topics.INVOCATION_OUTPUTS.name(), Produced.with(Serdes.String(),
                                serde(InstanceOutput.class)))))
                .defaultBranch(Branched.withConsumer(s -> s
                        .mapValues(v -> (InvocationEvent) v)
                        .to(Topics.INVOCATION_EVENTS.name(), Produced.with(Serdes.String(), events))));
    }

    static <T> Serde<T> serde(Class<T> type) {
        JacksonJsonSerde<T> serde = new JacksonJsonSerde<>(type, StopPlaneJson.mapper());
        serde.noTypeInfo().ignoreTypeHeaders();
        return serde;
    }
}
