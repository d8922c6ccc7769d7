package io.stopplane.audit.replay;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import java.time.Instant;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Reading {@code invocation-events} the way the dispatcher does: the same JSON settings (plus a faster reader of the
 * instants they write) and the same fold step.
 */
public final class EventLog {

    private static final JsonMapper MAPPER = StopPlaneJson.configure(JsonMapper.builder())
            .addModule(new SimpleModule("audit-instants").addDeserializer(Instant.class, new Instants()))
            .build();
    private static final ObjectReader EVENTS = MAPPER.readerFor(InvocationEvent.class);
    private static final ObjectReader STATES = MAPPER.readerFor(InvocationState.class);
    private static final ObjectReader TARGETS = MAPPER.readerFor(InvocationTarget.class);

    private EventLog() {
    }

    /** Parses one record value; throws Jackson's (unchecked) exception on a record the dispatcher could not read. */
    public static InvocationEvent event(byte[] value) {
        return EVENTS.readValue(value);
    }

    public static InvocationState state(byte[] value) {
        return STATES.readValue(value);
    }

    /** Parses a target record of {@code invocation-state} (key {@code invokeId/instanceId}). */
    public static InvocationTarget target(byte[] value) {
        return TARGETS.readValue(value);
    }

    /**
     * The state the dispatcher stores after {@code event}: {@code before} itself when the event changed nothing (or
     * there is still no invocation), else the fold's result without outputs, which go to {@code invocation-outputs}.
     */
    public static InvocationState fold(InvocationState before, InvocationEvent event) {
        InvocationState folded = InvocationFold.apply(before, event);
        return folded != null && folded != before ? folded.withoutOutputs() : before;
    }
}
