package io.stopplane.audit.timeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.stopplane.model.event.InvocationEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The logical type names of the events, as the JSON {@code "type"} property and {@code --type} spell them. */
public final class EventTypes {

    private static final Map<Class<?>, String> NAMES = new LinkedHashMap<>();

    static {
        for (JsonSubTypes.Type t : InvocationEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            NAMES.put(t.value(), t.name());
        }
    }

    private EventTypes() {
    }

    public static Set<String> names() {
        return Set.copyOf(NAMES.values());
    }

    static String of(InvocationEvent event) {
        return NAMES.getOrDefault(event.getClass(), event.getClass().getSimpleName());
    }
}
