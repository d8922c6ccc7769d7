package io.stopplane.dispatcher.state;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/** {@code invocation-events → fold (state store) → invocation-state}. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class FoldTopology {

    static final String STORE = "invocation-state-store";

    @Autowired
    void build(StreamsBuilder builder) {
        Serde<InvocationEvent> events = serde(InvocationEvent.class);
        Serde<InvocationState> states = serde(InvocationState.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), states));
        builder.stream(Topics.INVOCATION_EVENTS.name(), Consumed.with(Serdes.String(), events))
                .process(FoldProcessor::new, STORE)
                .to(Topics.INVOCATION_STATE.name(), Produced.with(Serdes.String(), states));
    }

    static <T> Serde<T> serde(Class<T> type) {
        JacksonJsonSerde<T> serde = new JacksonJsonSerde<>(type, StopPlaneJson.mapper());
        serde.noTypeInfo().ignoreTypeHeaders();
        return serde;
    }
}
