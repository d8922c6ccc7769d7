package io.stopplane.model.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON settings every writer and reader of StopPlane's topics shares: ISO-8601 times, no nulls, lenient reads. */
public final class StopPlaneJson {

    private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    private StopPlaneJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Applies the shared settings; services pass Spring's builder through here so both agree. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Fields are only ever added: an older reader must not fail on a newer writer's field.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL));
    }
}
