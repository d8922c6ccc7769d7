package io.stopplane.model.topic;

import java.util.Map;

/** A topic of the catalogue: its name, what its key is, and the configs it is created with. */
public record TopicSpec(String name, String key, String writtenBy, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
