package io.stopplane.audit.timeline;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.stopplane.model.event.Caller;
import io.stopplane.model.json.StopPlaneJson;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.ObjectWriter;

/**
 * One JSON object per event and line, for {@code jq}: the audit's view of the event (time, type, instances, caller, what
 * changed, where it is in the log) with the event itself, verbatim, under {@code "event"}.
 */
final class JsonLinesFormat {

    private static final ObjectWriter WRITER = StopPlaneJson.mapper().writerFor(Line.class);

    private JsonLinesFormat() {
    }

    static void print(TimelineEntry e, PrintStream out) {
        out.println(WRITER.writeValueAsString(new Line(e.event().occurredAt().toString(),
                e.event().invokeId().value(), e.type(), e.instanceIds(), e.caller(), e.changes(),
                e.statusFrom(), e.statusTo(), e.ignored() ? Boolean.TRUE : null, e.detail(), e.partition(),
                e.offset(), e.raw())));
    }

    /** A record value as one line of JSON: as written unless a writer pretty-printed it. */
    static String oneLine(byte[] value) {
        String s = new String(value, StandardCharsets.UTF_8);
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : StopPlaneJson.mapper().readTree(value).toString();
    }

    @JsonPropertyOrder({"time", "invokeId", "type", "instanceIds", "caller", "changes", "statusFrom", "statusTo",
        "ignored", "detail", "partition", "offset", "event"})
    record Line(String time, String invokeId, String type, List<String> instanceIds, Caller caller,
            List<StatusChange> changes, String statusFrom, String statusTo, Boolean ignored, String detail,
            int partition, long offset, @JsonRawValue String event) {
    }
}
