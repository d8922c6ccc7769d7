package io.stopplane.dispatcher.state;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.registry.RegistryState;
import io.stopplane.model.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * {@code registry-events → registry fold → agent-registry}: a sub-topology of its own beside the invocation fold's,
 * in the same exactly-once client, so a registration is decided once and its records commit with the consumed offset.
 * Keyed by activation id, so one task decides every registration of an activation, one at a time.
 */
@Configuration(proxyBeanMethods = false)
class RegistryTopology {

    static final String STORE = "registry-state-store";

    @Autowired
    void build(StreamsBuilder builder, MeterRegistry meters) {
        RegistryMetrics metrics = new RegistryMetrics(meters);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                FoldTopology.serde(RegistryState.class)));
        builder.stream(Topics.REGISTRY_EVENTS.name(),
                        Consumed.with(Serdes.String(), FoldTopology.serde(RegistryEvent.class)))
                .process(() -> new RegistryFoldProcessor(metrics), STORE)
                .to(Topics.AGENT_REGISTRY.name(),
                        Produced.with(Serdes.String(), FoldTopology.serde(RegistryRecord.class)));
    }
}
