package io.stopplane.dispatcher.state;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.Topics;
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

    @Autowired
    void build(StreamsBuilder builder, TimerProperties timerProps, MeterRegistry meters, HeartbeatTable heartbeats) {
        FoldMetrics metrics = new FoldMetrics(meters);
        Serde<InvocationEvent> events = serde(InvocationEvent.class);
        Serde<InvocationState> states = serde(InvocationState.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), states));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVE_STORE), Serdes.String(),
                Serdes.Long()));
        Timers timers = new Timers(timerProps);
        builder.stream(Topics.INVOCATION_EVENTS.name(), Consumed.with(Serdes.String(), events))
                .process(() -> new FoldProcessor(timers, timerProps.scanInterval(), metrics, heartbeats::get), STORE, ACTIVE_STORE)
                .split()
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
