package io.stopplane.agent.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.agent.report.ReportRefused;
import io.stopplane.agent.report.StatusReporter;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Sends reports as {@code report} frames; one completes when the gateway acknowledges it ({@code ack}: it is on
 * {@code invocation-events}), and fails when refused. A report made while the agent is not connected, or sent on a
 * connection lost before its ack, waits here and goes out, in the order it was made, as soon as the agent is welcomed
 * again: a stop's report is not held up by the retry of {@code TaskReports}. A report the gateway leaves unanswered on
 * a connection that stays (it could not write it: the broker gone, the gateway still up) is sent again on it at every
 * tick of the link (10 s) after the one that found it unanswered already: otherwise it would wait for an ack that never
 * comes, and its invocation would stay {@code Running}. A report sent twice this way is a duplicate the dispatcher
 * ignores.
 */
@Component
class GatewayReporter implements StatusReporter, GatewayLink.Party {

    private static final Logger log = LoggerFactory.getLogger(GatewayReporter.class);

    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Counter refused;
    private Consumer<String> send;

    /** Reports already unanswered at the last tick of this connection: sent again at the next one. */
    private Set<String> unansweredAtLastTick = Set.of();

    @Autowired
    GatewayReporter(GatewayLink link, MeterRegistry meters) {
        this(meters);
        link.join(this);
    }

    /** Not joined to a link: the test's. */
    GatewayReporter(MeterRegistry meters) {
        this.refused = Counter.builder("stopplane.agent.reports.refused")
                .description("Reports the gateway refused").register(meters);
    }

    @Override
    public CompletableFuture<Void> report(TaskKey key, TaskOutcome outcome) {
        String id = Long.toString(ids.incrementAndGet());
        String frame = Frames.report(id, key, outcome, Instant.now());
        CompletableFuture<Void> done = new CompletableFuture<>();
        log.info("Reporting {} exitCode={} errorCode={} for {}", outcome.status().wireName(), outcome.exitCode(),
                outcome.error() == null ? null : outcome.error().code(), key);
        synchronized (this) {
            pending.put(id, new Pending(key, outcome, frame, done));
            if (send != null) {
                send.accept(frame);
            }
        }
        return done;
    }

    @Override
    public synchronized void welcomed(Consumer<String> send) {
        this.send = send;
        unansweredAtLastTick = Set.of();
        if (!pending.isEmpty()) {
            log.info("Sending {} report(s) that waited for the gateway", pending.size());
        }
        pending.values().forEach(p -> send.accept(p.frame()));
    }

    @Override
    public synchronized void lost() {
        send = null;
        unansweredAtLastTick = Set.of();
    }

    @Override
    public synchronized void tick() {
        if (send == null) {
            return;
        }
        for (String id : unansweredAtLastTick) {
            Pending p = pending.get(id);
            if (p != null) {
                log.info("No answer from the gateway to the report {} for {}: sending it again",
                        p.outcome().status().wireName(), p.key());
                send.accept(p.frame());
            }
        }
        unansweredAtLastTick = new HashSet<>(pending.keySet());
    }

    @Override
    public void frame(String type, JsonNode frame) {
        if ("ack".equals(type)) {
            Pending p = take(frame);
            if (p != null) {
                p.done().complete(null);
            }
        } else if ("refused".equals(type)) {
            Pending p = take(frame);
            if (p != null) {
                refused.increment();
                String code = frame.path("code").asString("");
                log.error("The gateway refused the report {} for {}: {} {}", p.outcome().status().wireName(), p.key(),
                        code, frame.path("message").asString(""));
                p.done().completeExceptionally(new ReportRefused(code, frame.path("message").asString("")));
            }
        }
    }

    /** How many reports wait for an ack: for the health details. */
    synchronized int waiting() {
        return pending.size();
    }

    private synchronized Pending take(JsonNode frame) {
        return pending.remove(frame.path("id").asString(""));
    }

    private record Pending(TaskKey key, TaskOutcome outcome, String frame, CompletableFuture<Void> done) {
    }
}
