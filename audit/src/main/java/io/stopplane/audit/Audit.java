package io.stopplane.audit;

import io.stopplane.audit.dlt.DltCommand;
import io.stopplane.audit.output.Format;
import io.stopplane.audit.replay.AuditException;
import io.stopplane.audit.replay.Progress;
import io.stopplane.audit.replay.TopicReader;
import io.stopplane.audit.timeline.EventTypes;
import io.stopplane.audit.timeline.TimelineCommand;
import io.stopplane.audit.timeline.TimelineQuery;
import io.stopplane.audit.verify.VerifyCommand;
import io.stopplane.model.topic.Topics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.KafkaException;

/** Runs one command line: parses it, reads the topics, prints, and returns the exit status. */
final class Audit {

    static final int OK = 0;
    static final int MISMATCH = 1;
    static final int USAGE = 2;
    static final int UNREADABLE = 3;
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final Clock clock;

    Audit(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal, Clock clock) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
    }

    int run(String... args) {
        Options options;
        TimelineQuery query = null;
        try {
            options = Options.parse(args);
            if (options.command().equals("timeline")) {
                query = query(options);
            } else if (options.get("format") != null) {
                Format.of(options.get("format"));
            }
        } catch (IllegalArgumentException e) {
            err.println("audit: " + e.getMessage());
            err.println("Try 'audit help'.");
            return USAGE;
        }
        if (options.command().equals("help")) {
            out.print(Usage.TEXT);
            out.flush();
            return OK;
        }
        String bootstrap = bootstrap(options);
        try (TopicReader reader = new TopicReader(bootstrap, new Progress(err, terminal))) {
            switch (options.command()) {
                case "timeline":
                    return timeline(reader, query);
                case "verify":
                    return verify(reader);
                default:
                    new DltCommand(reader).run(options.get("topic"),
                            options.get("format") == null ? Format.TABLE : Format.of(options.get("format")), out);
                    return OK;
            }
        } catch (AuditException e) {
            err.println("audit: " + e.getMessage() + " (bootstrap " + bootstrap + ")");
            return UNREADABLE;
        } catch (KafkaException e) {
            err.println("audit: cannot read from Kafka at " + bootstrap + ": " + e.getMessage());
            return UNREADABLE;
        }
    }

    private int timeline(TopicReader reader, TimelineQuery query) {
        TimelineCommand command = new TimelineCommand(reader, Topics.INVOCATION_EVENTS.name());
        command.run(query, out);
        warnUnreadable(command.unreadable());
        return OK;
    }

    private int verify(TopicReader reader) {
        VerifyCommand command = new VerifyCommand(reader, Topics.INVOCATION_EVENTS.name(),
                Topics.INVOCATION_STATE.name());
        boolean ok = command.run(out).isEmpty();
        warnUnreadable(command.unreadableEvents());
        return ok ? OK : MISMATCH;
    }

    private void warnUnreadable(long n) {
        if (n > 0) {
            err.printf("audit: %,d record%s of %s could not be read as events and were skipped, as the dispatcher "
                    + "skips them (see 'audit dlt')%n", n, n == 1 ? "" : "s", Topics.INVOCATION_EVENTS.name());
        }
    }

    private TimelineQuery query(Options o) {
        Instant since = Times.parse("since", o.get("since"), clock);
        Instant until = Times.parse("until", o.get("until"), clock);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--since must be before --until");
        }
        Set<String> types = new LinkedHashSet<>();
        if (o.get("type") != null) {
            Arrays.stream(o.get("type").split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(types::add);
            for (String t : types) {
                if (!EventTypes.names().contains(t)) {
                    throw new IllegalArgumentException("unknown --type " + t + ": one of " + String.join(", ",
                            new TreeSet<>(EventTypes.names())));
                }
            }
        }
        return new TimelineQuery(o.get("invoke-id"), o.get("instance-id"), o.get("account"), since, until, types,
                o.get("format") == null ? Format.TABLE : Format.of(o.get("format")));
    }

    private String bootstrap(Options o) {
        if (o.get("bootstrap") != null) {
            return o.get("bootstrap");
        }
        String fromEnv = env.get("STOPPLANE_KAFKA_BOOTSTRAP");
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_BOOTSTRAP : fromEnv;
    }
}
