package io.stopplane.api.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.state.InvocationState;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live feed: the view's changes, fanned out to the open streams whose caller may see them. The view's thread only
 * queues a change; one small scheduler sends every {@value #FLUSH_MILLIS} ms and writes the heartbeats, so a slow
 * browser never holds up the topic reader. Streams are bounded: one over the bound is refused, and counted.
 */
final class InvocationFeed implements AutoCloseable {

    static final long FLUSH_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(InvocationFeed.class);

    private final Set<FeedClient> clients = ConcurrentHashMap.newKeySet();
    private final int maxClients;
    private final Duration heartbeat;
    private final Duration maxAge;
    private final ScheduledExecutorService scheduler;
    private final Counter refused;
    private final Counter overflowed;

    InvocationFeed(MeterRegistry meters, int maxClients, Duration heartbeat, Duration maxAge) {
        this.maxClients = maxClients;
        this.heartbeat = heartbeat;
        this.maxAge = maxAge;
        this.refused = Counter.builder("stopplane.console.feed.refused")
                .description("Feed streams refused because the bound on open streams was reached").register(meters);
        this.overflowed = Counter.builder("stopplane.console.feed.overflowed")
                .description("Feed streams closed because their client did not keep up").register(meters);
        Gauge.builder("stopplane.console.feed.clients", clients, Set::size)
                .description("Open feed streams").register(meters);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-feed");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a stream for an authenticated, permitted caller.
     *
     * @param regionId only this region's invocations, or all the caller's when null
     * @throws ApiException {@code ServiceUnavailable} when {@code max-clients} streams are open already
     */
    SseEmitter open(Caller caller, String regionId) {
        SseEmitter emitter = new SseEmitter(maxAge.toMillis());
        FeedClient client = new FeedClient(emitter, caller, regionId);
        synchronized (clients) {
            if (clients.size() >= maxClients) {
                refused.increment();
                LOG.warn("feed stream refused: {} streams open, the bound", clients.size());
                throw new ApiException(ApiError.SERVICE_UNAVAILABLE);
            }
            clients.add(client);
        }
        emitter.onCompletion(() -> clients.remove(client));
        emitter.onTimeout(() -> clients.remove(client));
        emitter.onError(e -> clients.remove(client));
        try {
            client.ready(caller.requestId(), heartbeat.toSeconds());
        } catch (IOException e) {
            drop(client);
        }
        return emitter;
    }

    /** Called by the view on its own thread: queue, never send. */
    void changed(InvocationState state) {
        for (FeedClient client : clients) {
            if (client.sees(state) && !client.offer(state)) {
                overflowed.increment();
                LOG.warn("feed stream closed: its client fell {} invocations behind", FeedClient.MAX_PENDING);
                drop(client);
            }
        }
    }

    int size() {
        return clients.size();
    }

    private void flush() {
        for (FeedClient client : clients) {
            try {
                client.flush();
            } catch (IOException | RuntimeException e) {
                drop(client);
            }
        }
    }

    private void beat() {
        for (FeedClient client : clients) {
            try {
                client.heartbeat();
            } catch (IOException | RuntimeException e) {
                drop(client);
            }
        }
    }

    private void drop(FeedClient client) {
        clients.remove(client);
        client.emitter().complete();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        clients.forEach(c -> c.emitter().complete());
        clients.clear();
    }
}
