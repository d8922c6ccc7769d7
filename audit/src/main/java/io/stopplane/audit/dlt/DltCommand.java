package io.stopplane.audit.dlt;

import io.stopplane.audit.replay.TopicReader;
import io.stopplane.audit.output.Format;
import io.stopplane.audit.output.Table;
import io.stopplane.model.json.StopPlaneJson;
import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import tools.jackson.databind.ObjectWriter;

/**
 * {@code audit dlt}: every dead-letter topic ({@code <topic>-dlt}) with its records, where each came from and why it was
 * given up on, and a count per topic.
 */
public final class DltCommand {

    public static final String SUFFIX = "-dlt";
    private static final int PREVIEW = 80;
    private static final ObjectWriter JSON = StopPlaneJson.mapper().writerFor(DeadLetter.class);

    private final TopicReader reader;

    public DltCommand(TopicReader reader) {
        this.reader = reader;
    }

    /**
     * Prints the dead letters of every DLT, or of one ({@code only}: the DLT's name or the name of the topic it is the
     * DLT of); returns the count per DLT.
     */
    public Map<String, Long> run(String only, Format format, PrintStream out) {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<DeadLetter> letters = new ArrayList<>();
        for (String topic : reader.topics()) {
            if (!topic.endsWith(SUFFIX) || (only != null && !topic.equals(only) && !topic.equals(only + SUFFIX))) {
                continue;
            }
            Map<Integer, List<DeadLetter>> byPartition = new ConcurrentSkipListMap<>();
            reader.read(topic, reader.endOffsets(reader.partitions(topic)), null, tp -> {
                List<DeadLetter> some = new ArrayList<>();
                byPartition.put(tp.partition(), some);
                return r -> some.add(DeadLetter.of(r));
            });
            long before = letters.size();
            byPartition.values().forEach(letters::addAll);
            counts.put(topic, letters.size() - before);
        }
        if (format == Format.JSON) {
            letters.forEach(d -> out.println(JSON.writeValueAsString(d)));
        } else {
            printTable(letters, counts, out);
        }
        out.flush();
        return counts;
    }

    private static void printTable(List<DeadLetter> letters, Map<String, Long> counts, PrintStream out) {
        if (counts.isEmpty()) {
            out.println("no dead-letter topics (<topic>" + SUFFIX + ")");
            return;
        }
        counts.forEach((topic, n) -> out.printf("%s: %,d record%s%n", topic, n, n == 1 ? "" : "s"));
        if (letters.isEmpty()) {
            return;
        }
        out.println();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("TIME", "DLT", "ORIGINAL", "GROUP", "EXCEPTION", "MESSAGE", "KEY", "VALUE"));
        DateTimeFormatter time = Table.TIME;
        for (DeadLetter d : letters) {
            rows.add(List.of(time.format(d.time()), d.topic() + "-" + d.partition() + "@" + d.offset(), d.origin(),
                    dash(d.consumerGroup()), dash(simpleName(d.exception())), dash(preview(d.exceptionMessage())),
                    dash(d.key()), d.value() == null ? "(null)" : preview(d.value())));
        }
        Table.print(rows, out);
    }

    private static String simpleName(String fqcn) {
        return fqcn == null ? null : fqcn.substring(fqcn.lastIndexOf('.') + 1);
    }

    /** First line, control characters escaped, cut to a table cell. */
    static String preview(String s) {
        if (s == null) {
            return null;
        }
        String line = s.strip().lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "?");
        return line.length() <= PREVIEW ? line : line.substring(0, PREVIEW - 3) + "...";
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
