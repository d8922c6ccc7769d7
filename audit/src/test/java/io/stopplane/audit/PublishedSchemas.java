package io.stopplane.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas as any consumer would use them: files named {@code <ce_type>.json} (plus one per topic), loaded by a
 * stock validator with Jackson 2, no project class in sight. Format assertions are on, so times must be RFC 3339.
 */
final class PublishedSchemas {

    static final String BASE = "https://stopplane.io/schemas/";
    static final List<String> CE_TYPES = List.of("io.stopplane.invocation.InvocationCreated",
            "io.stopplane.invocation.StopRequested", "io.stopplane.invocation.InstanceStatusReported",
            "io.stopplane.invocation.TimeoutDetected", "io.stopplane.invocation.InvocationModified",
            "io.stopplane.state.InvocationState",
            "io.stopplane.state.InvocationTarget", "io.stopplane.output.InstanceOutput",
            "io.stopplane.agent.Heartbeat", "io.stopplane.library.Command");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private PublishedSchemas() {
    }

    /** The schema of a ce_type, or of a topic ({@code invocation-events}). */
    static JsonSchema of(String name) {
        return CACHE.computeIfAbsent(name, n -> FACTORY.getSchema(SchemaLocation.of(BASE + n + ".json"), CONFIG));
    }

    /** The validation errors of {@code value} against the schema named; empty when it conforms. */
    static List<String> errors(String name, JsonNode value) {
        return of(name).validate(value).stream().map(ValidationMessage::getMessage).toList();
    }
}
