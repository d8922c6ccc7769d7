package io.stopplane.dispatcher.state;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/**
 * {@code invocation-events → fold → invocation-state} and {@code invocation-outputs}, plus timer events back onto
 * {@code invocation-events} and scheduled invocations' runs onto {@code instance-commands}. The timers read agents' heartbeats from a {@link HeartbeatTable}. Built on the processor
 * API with one sink per output topic, each with its own serializer: the fold sends each record to the sink of its kind
 * by name ({@link FoldProcessor}), so nothing downstream routes by the value's type and a tombstone is just a null. On
 * {@code invocation-state} the value is an {@code InvocationState} under an invocation's key and an
 * {@code InvocationTarget} under a target's, both JSON; {@link #byInvocation} keeps them on one partition.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class FoldTopology {

    static final String STORE = "invocation-state-store";
    static final String TARGETS_STORE = "invocation-targets-store";
    static final String ACTIVE_STORE = "active-invocations-store";
    static final String EXPIRY_STORE = "expiring-invocations-store";

    static final String SOURCE = "invocation-events-source";
    static final String FOLD = "invocation-fold";
    static final String STATE_SINK = "invocation-state-sink";
    static final String OUTPUTS_SINK = "invocation-outputs-sink";
    static final String EVENTS_SINK = "invocation-events-sink";
    static final String COMMANDS_SINK = "instance-commands-sink";

    /** Added to the topology the DSL builds (the registry's), before the streams client starts. */
    @Bean
    StreamsBuilderFactoryBeanConfigurer foldNodes(TimerProperties timerProps, MeterRegistry meters,
            HeartbeatTable heartbeats) {
        FoldMetrics metrics = new FoldMetrics(meters);
        return factory -> factory.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureTopology(Topology topology) {
                fold(topology, timerProps, metrics, heartbeats::get);
            }
        });
    }

    /** The fold's nodes, stores and sinks, added to {@code topology}; {@code heartbeats}: each instance's latest. */
    static Topology fold(Topology topology, TimerProperties timerProps, FoldMetrics metrics,
            Function<InstanceId, AgentHeartbeat> heartbeats) {
        Serde<InvocationEvent> events = serde(InvocationEvent.class);
        Serde<InvocationState> states = serde(InvocationState.class);
        Timers timers = new Timers(timerProps);
        return topology
                .addSource(SOURCE, Serdes.String().deserializer(), events.deserializer(),
                        Topics.INVOCATION_EVENTS.name())
                .addProcessor(FOLD, () -> new FoldProcessor(timers, timerProps.scanInterval(), metrics, heartbeats),
                        SOURCE)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                        states), FOLD)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TARGETS_STORE),
                        Serdes.String(), serde(InvocationTarget.class)), FOLD)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVE_STORE),
                        Serdes.String(), Serdes.Long()), FOLD)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXPIRY_STORE),
                        Serdes.String(), Serdes.String()), FOLD)
                .addSink(STATE_SINK, Topics.INVOCATION_STATE.name(), Serdes.String().serializer(),
                        (topic, value) -> value == null ? null : StopPlaneJson.mapper().writeValueAsBytes(value),
                        FoldTopology::byInvocation, FOLD)
                .addSink(OUTPUTS_SINK, Topics.INVOCATION_OUTPUTS.name(), Serdes.String().serializer(),
                        serde(InstanceOutput.class).serializer(), FOLD)
                .addSink(EVENTS_SINK, Topics.INVOCATION_EVENTS.name(), Serdes.String().serializer(),
                        events.serializer(), FOLD)
                // a scheduled invocation's runs, keyed by instance as the API's are
                .addSink(COMMANDS_SINK, Topics.INSTANCE_COMMANDS.name(), Serdes.String().serializer(),
                        serde(InstanceCommand.class).serializer(), FOLD);
    }

    /**
     * Each record of {@code invocation-state} on its invocation's partition, whichever kind it is: the partition the
     * default partitioner gives the invokeId, so a target record always comes after the state it is laid on.
     */
    static Optional<Set<Integer>> byInvocation(String topic, String key, Object value, int partitions) {
        byte[] invokeId = InvocationState.invokeIdOf(key).getBytes(StandardCharsets.UTF_8);
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(invokeId)) % partitions));
    }

    static <T> Serde<T> serde(Class<T> type) {
        JacksonJsonSerde<T> serde = new JacksonJsonSerde<>(type, StopPlaneJson.mapper());
        serde.noTypeInfo().ignoreTypeHeaders();
        return serde;
    }
}
