package io.stopplane.gateway.connect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@code stopplane.gateway.refusals{reason}}: every refused report and every connection closed with an error frame,
 * by its code. The codes an honest agent never causes are registered at 0, so a dashboard shows them before the first.
 */
@Component
class Refusals {

    static final String METER = "stopplane.gateway.refusals";
    private static final List<String> KNOWN = List.of("Report.Invalid", "Report.NotYourInstance",
            "Report.IllegalStatus", "Report.OutputTooLarge", "Report.NotATarget", "Hello.BadSignature",
            "Hello.Invalid", "Hello.Duplicate", "Hello.Expected", "Hello.Timeout", "Instance.Unknown",
            "Instance.Deregistered", "Frame.TooLarge", "Frame.Unreadable", "Connection.TooSlow");

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    Refusals(MeterRegistry meters) {
        this.meters = meters;
        KNOWN.forEach(this::counter);
    }

    void count(String reason) {
        counter(reason).increment();
    }

    private Counter counter(String reason) {
        return counters.computeIfAbsent(reason, r -> Counter.builder(METER).tag("reason", r)
                .description("agent frames refused and connections closed with an error, by code").register(meters));
    }
}
