package io.stopplane.audit.output;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Left-aligned columns two spaces apart; the last column is not padded. */
public final class Table {

    /** Times in tables: UTC, to the millisecond. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Table() {
    }

    public static void print(List<List<String>> rows, PrintStream out) {
        if (rows.isEmpty()) {
            return;
        }
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            sb.setLength(0);
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                sb.append(cell);
                if (i < columns - 1) {
                    sb.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            out.println(sb);
        }
    }
}
