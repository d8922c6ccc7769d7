package io.stopplane.model.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents binary-mode headers for every record StopPlane writes, so that a consumer in any language can route and
 * deduplicate events without project classes. Kafka header names per the CloudEvents Kafka binding: {@code ce_*} and
 * {@code content-type}.
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_PREFIX = "io.stopplane.";

    private CloudEvents() {
    }

    /** Headers for an event on {@code invocation-events}: ce_type is {@code io.stopplane.invocation.<Type>}. */
    public static Map<String, String> of(InvocationEvent event, String source) {
        return headers(event.eventId(), TYPE_PREFIX + "invocation." + typeName(event.getClass()), source,
                event.occurredAt());
    }

    /** Headers for a command on {@code instance-commands}: ce_type is {@code io.stopplane.command.<Type>}. */
    public static Map<String, String> of(InstanceCommand command, String source) {
        return headers(command.commandEventId(), TYPE_PREFIX + "command." + typeName(command.getClass()), source,
                command.issuedAt());
    }

    /** Headers for a state record: its id is the invocation and version, unique per state change. */
    public static Map<String, String> of(InvocationState state, String source) {
        return headers(state.invokeId().value() + "/" + state.version(), TYPE_PREFIX + "state.InvocationState",
                source, state.updateTime());
    }

    /**
     * Headers for a target record under {@code key}: its id is the key and version, unique per record written (one
     * event may write a record for each of many targets, all of one version).
     */
    public static Map<String, String> of(String key, InvocationTarget target, String source) {
        return headers(key + "/" + target.version(), TYPE_PREFIX + "state.InvocationTarget", source,
                target.instance().updateTime());
    }

    /** Headers for a heartbeat. */
    public static Map<String, String> of(AgentHeartbeat heartbeat, String source) {
        return headers(heartbeat.instanceId().value() + "/" + heartbeat.at().toEpochMilli(),
                TYPE_PREFIX + "agent.Heartbeat", source, heartbeat.at());
    }

    /** Headers for a version of a saved command: ce_type {@code io.stopplane.library.Command}, ce_id id/version. */
    public static Map<String, String> of(LibraryCommand command, String source) {
        return headers(command.commandId().value() + "/" + command.version(), TYPE_PREFIX + "library.Command", source,
                command.updateTime());
    }

    /** Headers for an event on {@code registry-events}: ce_type is {@code io.stopplane.registry.<Type>}. */
    public static Map<String, String> of(RegistryEvent event, String source) {
        return headers(event.eventId(), TYPE_PREFIX + "registry." + typeName(event.getClass()), source,
                event.occurredAt());
    }

    /**
     * Headers for a record on {@code agent-registry} written because of {@code cause}: ce_type is
     * {@code io.stopplane.state.<Activation|ManagedInstance|RegistrationOutcome>}, ce_id the key and the cause's event
     * id, unique per change.
     */
    public static Map<String, String> of(RegistryRecord record, RegistryEvent cause, String source) {
        return headers(record.key() + "/" + cause.eventId(), TYPE_PREFIX + "state." + typeName(record.getClass()),
                source, cause.occurredAt());
    }

    public static Map<String, String> headers(String id, String type, String source, Instant time) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", SPEC_VERSION);
        h.put("ce_id", id);
        h.put("ce_type", type);
        h.put("ce_source", source);
        h.put("ce_time", (time == null ? Instant.now() : time).toString());
        h.put("content-type", "application/json");
        return h;
    }

    /** The logical type name the JSON body carries in {@code "type"}; the simple class name otherwise. */
    static String typeName(Class<?> type) {
        for (Class<?> iface : type.getInterfaces()) {
            JsonSubTypes subTypes = iface.getAnnotation(JsonSubTypes.class);
            if (subTypes != null) {
                for (JsonSubTypes.Type t : subTypes.value()) {
                    if (t.value().equals(type) && !t.name().isEmpty()) {
                        return t.name();
                    }
                }
            }
        }
        return type.getSimpleName();
    }
}
