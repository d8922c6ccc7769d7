package io.stopplane.api.view;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationState;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The API's read view of {@code invocation-state}. Besides the topic, it holds what this API instance itself just
 * decided (a created invocation, a stop folded locally), so a client reads its own writes before the dispatcher has
 * folded them; the topic's copy replaces the local one as soon as it is as new.
 */
public class InvocationView {

    private final Map<InvokeId, InvocationState> states = new ConcurrentHashMap<>();
    private final SharedParts shared = new SharedParts();
    private final List<Consumer<InvocationState>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean ready;

    /**
     * Told the view's newest copy of an invocation after each change, on the thread that made it (the topic reader or a
     * request): the console's live feed. A listener must hand the state off, never block.
     */
    public void onChange(Consumer<InvocationState> listener) {
        listeners.add(listener);
    }

    public Optional<InvocationState> get(InvokeId invokeId) {
        return Optional.ofNullable(states.get(invokeId));
    }

    public Collection<InvocationState> all() {
        return states.values();
    }

    /** False until the topic has been read to the end it had at start-up: a miss then proves nothing. */
    public boolean ready() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    /** A state read from the topic: the newest version wins, the topic's on a tie. */
    void apply(InvocationState state) {
        InvocationState previous = states.get(state.invokeId());
        if (previous != null && state.version() < previous.version()) {
            return;
        }
        // A million of them must fit: keep one copy of what states have in common.
        InvocationState compact = shared.share(state, previous);
        changed(states.merge(compact.invokeId(), compact, (old, neu) -> neu.version() >= old.version() ? neu : old));
    }

    void remove(String key) {
        if (InvokeId.isValid(key)) {
            states.remove(InvokeId.of(key));
        }
    }

    /** A state this instance created. */
    public void created(InvocationState state) {
        if (states.putIfAbsent(state.invokeId(), state) == null) {
            changed(state);
        }
    }

    /** A state this instance folded from its own decision; kept only while it is newer than what the view has. */
    public void folded(InvocationState state) {
        changed(states.merge(state.invokeId(), state, (old, neu) -> neu.version() > old.version() ? neu : old));
    }

    private void changed(InvocationState state) {
        for (Consumer<InvocationState> listener : listeners) {
            listener.accept(state);
        }
    }
}
