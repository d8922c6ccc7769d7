package io.stopplane.api.console;

import io.stopplane.api.auth.Ownership;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open stream: what its caller may see, and the changes not yet sent. Changes to one invocation between two flushes
 * coalesce into its newest state, so a busy invocation costs one event per flush, not one per report.
 */
final class FeedClient {

    /** More distinct invocations than this waiting for one stream: it is not reading; it is closed and must reconnect. */
    static final int MAX_PENDING = 10_000;

    private final SseEmitter emitter;
    private final Caller caller;
    private final String regionId;
    private final Map<InvokeId, InvocationState> pending = new LinkedHashMap<>();

    FeedClient(SseEmitter emitter, Caller caller, String regionId) {
        this.emitter = emitter;
        this.caller = caller;
        this.regionId = regionId;
    }

    SseEmitter emitter() {
        return emitter;
    }

    boolean sees(InvocationState state) {
        return Ownership.visible(caller, state.ownerAccountId())
                && (regionId == null || state.regionId() != null && regionId.equals(state.regionId().value()));
    }

    /** @return false when the stream has fallen too far behind */
    synchronized boolean offer(InvocationState state) {
        pending.put(state.invokeId(), state);
        return pending.size() <= MAX_PENDING;
    }

    /** Sends what is pending; an IOException means the browser went away. */
    void flush() throws IOException {
        List<InvocationState> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(pending.values());
            pending.clear();
        }
        synchronized (emitter) {
            for (InvocationState state : batch) {
                emitter.send(SseEmitter.event().name("invocation").id(state.invokeId().value() + "/" + state.version())
                        .data(FeedEvents.invocation(state)));
            }
        }
    }

    void heartbeat() throws IOException {
        synchronized (emitter) {
            emitter.send(SseEmitter.event().comment("heartbeat"));
        }
    }

    void ready(String requestId, long heartbeatSeconds) throws IOException {
        synchronized (emitter) {
            emitter.send(SseEmitter.event().name("ready").data(FeedEvents.ready(requestId, heartbeatSeconds)));
        }
    }
}
