package io.stopplane.model.topic;

import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.util.Objects;

/**
 * A value of the catalogue as its writer puts it on its topic: the topic, the key the catalogue names for it, and its
 * JSON, written as the topic's value type (so a sealed type's logical {@code "type"} is in it). The one place that knows
 * which type goes to which topic under which key; a Kafka client turns it into a record with
 * {@code new ProducerRecord<>(r.topic(), r.key(), r.value())}.
 */
public record TopicRecord(String topic, String key, String value) {

    public TopicRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
    }

    /** On {@code invocation-events}, by invoke id. */
    public static TopicRecord of(InvocationEvent event) {
        return new TopicRecord(Topics.INVOCATION_EVENTS.name(), event.invokeId().value(),
                StopPlaneJson.mapper().writerFor(InvocationEvent.class).writeValueAsString(event));
    }

    /** On {@code instance-commands}, by instance id. */
    public static TopicRecord of(InstanceCommand command) {
        return new TopicRecord(Topics.INSTANCE_COMMANDS.name(), command.instanceId().value(),
                StopPlaneJson.mapper().writerFor(InstanceCommand.class).writeValueAsString(command));
    }

    /** On {@code agent-heartbeats}, by instance id. */
    public static TopicRecord of(AgentHeartbeat beat) {
        return new TopicRecord(Topics.AGENT_HEARTBEATS.name(), beat.instanceId().value(),
                StopPlaneJson.mapper().writeValueAsString(beat));
    }

    /** On {@code registry-events}, by activation id. */
    public static TopicRecord of(RegistryEvent event) {
        return new TopicRecord(Topics.REGISTRY_EVENTS.name(), event.activationId(),
                StopPlaneJson.mapper().writerFor(RegistryEvent.class).writeValueAsString(event));
    }

    /** On {@code agent-registry}, by the record's own key ({@code activation/…}, {@code instance/…}, …). */
    public static TopicRecord of(RegistryRecord record) {
        return new TopicRecord(Topics.AGENT_REGISTRY.name(), record.key(),
                StopPlaneJson.mapper().writerFor(RegistryRecord.class).writeValueAsString(record));
    }

    /** An invocation's state as created, on {@code invocation-state} by invoke id. */
    public static TopicRecord of(InvocationState state) {
        return new TopicRecord(Topics.INVOCATION_STATE.name(), state.invokeId().value(),
                StopPlaneJson.mapper().writeValueAsString(state));
    }

    /** A target's record, on {@code invocation-state} by {@link InvocationState#targetKey}. */
    public static TopicRecord of(InvocationState state, InstanceState target) {
        return new TopicRecord(Topics.INVOCATION_STATE.name(),
                InvocationState.targetKey(state.invokeId(), target.instanceId()),
                StopPlaneJson.mapper().writeValueAsString(state.target(target)));
    }

    /** A saved command's latest version, on {@code command-library} by command id. */
    public static TopicRecord of(LibraryCommand command) {
        return new TopicRecord(Topics.COMMAND_LIBRARY.name(), command.key(),
                StopPlaneJson.mapper().writeValueAsString(command));
    }
}
