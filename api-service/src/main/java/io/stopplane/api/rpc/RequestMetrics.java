package io.stopplane.api.rpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * {@code stopplane.api.requests{action,code}}: every RPC request once, by action and outcome ({@code OK} or the error
 * code the client got). The action tag is one of the API's actions, or {@code Unknown} for a missing or unknown one, so a
 * client cannot create series at will.
 */
@Component
class RequestMetrics {

    static final String OK = "OK";
    static final String UNKNOWN_ACTION = "Unknown";
    /** The request attribute holding the action tag, set as soon as the request's parameters are read. */
    static final String ACTION_ATTRIBUTE = RequestMetrics.class.getName() + ".action";

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(HttpServletRequest http, String code) {
        Object action = http.getAttribute(ACTION_ATTRIBUTE);
        Counter.builder("stopplane.api.requests")
                .description("API requests by action and outcome: OK or the error code returned")
                .tag("action", action == null ? UNKNOWN_ACTION : action.toString())
                .tag("code", code)
                .register(registry)
                .increment();
    }
}
