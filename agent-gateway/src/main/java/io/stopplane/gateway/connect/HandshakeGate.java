package io.stopplane.gateway.connect;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.gateway.config.GatewayProperties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * At most {@code stopplane.gateway.max-handshakes-in-flight} connections between their upgrade and their welcome (or
 * their end). A fleet that lost its gateway comes back all at once: 10,000 agents retrying every ≤ 5 s are ~2,000
 * connection attempts a second, and a gateway that starts a handshake for each finishes almost none before the agent
 * gives up on it (measured before this gate: 6–9 welcomes a second, the listen queue full). Above the limit a connection
 * is refused before its upgrade with a plain 503 {@code Gateway.Busy} and {@code Retry-After}, which costs the gateway
 * next to nothing, and the agent comes again after its backoff. Refusals are counted; they are logged at most once a
 * second, with how many there were, since a herd would otherwise write thousands of lines a second.
 */
@Component
final class HandshakeGate {

    static final String BUSY = "Gateway.Busy";
    private static final Logger log = LoggerFactory.getLogger(HandshakeGate.class);
    private static final long LOG_EVERY_NANOS = 1_000_000_000L;

    private final int max;
    private final Refusals refusals;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    HandshakeGate(GatewayProperties props, Refusals refusals, MeterRegistry meters) {
        this.max = props.maxHandshakesInFlight();
        this.refusals = refusals;
        Gauge.builder("stopplane.gateway.handshakes.in-flight", inFlight, AtomicInteger::get)
                .description("agent connections upgraded and not yet welcomed or ended").register(meters);
    }

    /** One admitted handshake, released once: at the welcome, or when the connection ends without one. */
    static final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicInteger inFlight;

        private Permit(AtomicInteger inFlight) {
            this.inFlight = inFlight;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** A permit, or null (refused, counted, logged) when {@code max} handshakes are already in flight. */
    Permit tryEnter() {
        while (true) {
            int n = inFlight.get();
            if (n >= max) {
                refused();
                return null;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return new Permit(inFlight);
            }
        }
    }

    private void refused() {
        refusals.count(BUSY);
        refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            long n = refusedSinceLog.getAndSet(0);
            log.warn("refused {} connection(s) in the last {} ms with {}: {} handshakes in flight, the most allowed",
                    n, (now - last) / 1_000_000, BUSY, max);
        }
    }
}
