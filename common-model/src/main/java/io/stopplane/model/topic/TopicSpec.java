package io.stopplane.model.topic;

import java.util.Map;

/** A topic of the catalogue: its name, what its key is, who writes it, and the configs it is created with. */
public record TopicSpec(String name, String key, String writtenBy, Map<String, String> configs) {

    /** spring-kafka's default: the dead letters of {@code t} go to {@code t-dlt}. */
    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /**
     * Where a service sends the records of this topic it could not read, as they were written. Kept as long as this
     * topic keeps its records when that is forever (the event logs), so that no poison record outlives its original;
     * otherwise the broker's default retention.
     */
    public TopicSpec deadLetter() {
        Map<String, String> kept = "-1".equals(configs.get("retention.ms")) ? Map.of("retention.ms", "-1") : Map.of();
        return new TopicSpec(name + DEAD_LETTER_SUFFIX, key, "the service that could not read a record of " + name,
                kept);
    }
}
