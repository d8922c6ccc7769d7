package io.stopplane.audit.timeline;

import io.stopplane.audit.output.Table;
import io.stopplane.model.event.Caller;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The timeline as an aligned table: time, event, instances, caller, what changed. */
final class TableFormat {

    static final List<String> HEADER = List.of("TIME", "INVOKE ID", "EVENT", "INSTANCE", "ACCOUNT", "ACCESS KEY",
            "SOURCE IP", "REQUEST ID", "CHANGE");

    private TableFormat() {
    }

    static void print(List<TimelineEntry> entries, PrintStream out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        entries.forEach(e -> rows.add(row(e)));
        Table.print(rows, out);
    }

    static List<String> row(TimelineEntry e) {
        Caller c = e.caller();
        return List.of(Table.TIME.format(e.event().occurredAt()), e.event().invokeId().value(), e.type(),
                e.instanceIds().isEmpty() ? "(all)" : String.join(",", e.instanceIds()),
                c == null ? "-" : dash(c.accountId()), c == null ? "-" : dash(c.accessKeyId()),
                c == null ? "-" : dash(c.sourceIp()), c == null ? "-" : dash(c.requestId()), change(e));
    }

    static String change(TimelineEntry e) {
        StringBuilder sb = new StringBuilder();
        if (e.detail() != null) {
            sb.append(e.detail()).append(": ");
        }
        if (e.ignored()) {
            return sb.append("(no change: late, duplicate or not applicable)").toString();
        }
        sb.append(e.changes().isEmpty() ? "-" : e.changes().stream().map(StatusChange::text)
                .collect(Collectors.joining("; ")));
        if (e.statusTo() != null && !e.statusTo().equals(e.statusFrom())) {
            sb.append(" [invocation ").append(e.statusFrom() == null ? "" : e.statusFrom() + "->")
                    .append(e.statusTo()).append(']');
        }
        return sb.toString();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
