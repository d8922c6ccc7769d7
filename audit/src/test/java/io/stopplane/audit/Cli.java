package io.stopplane.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Runs the audit command line in this JVM, as {@code bin/stopplane audit} would, and keeps what it printed. */
final class Cli {

    record Result(int exit, String out, String err) {

        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(String bootstrap, String... args) {
        return run(Map.of("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap), false, args);
    }

    static Result run(Map<String, String> env, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Audit(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal, Clock.systemUTC()).run(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
