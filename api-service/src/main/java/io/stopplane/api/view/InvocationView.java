package io.stopplane.api.view;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationState;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's read view of {@code invocation-state}. Besides the topic, it holds what this API instance itself just
 * created, so a StopInvocation right after its RunCommand finds the invocation before the dispatcher has folded it.
 */
public class InvocationView {

    private final Map<InvokeId, InvocationState> states = new ConcurrentHashMap<>();

    public Optional<InvocationState> get(InvokeId invokeId) {
        return Optional.ofNullable(states.get(invokeId));
    }

    public Collection<InvocationState> all() {
        return states.values();
    }

    /** A state read from the topic: the newest version wins. */
    void apply(InvocationState state) {
        states.merge(state.invokeId(), state, (old, neu) -> neu.version() >= old.version() ? neu : old);
    }

    void remove(InvokeId invokeId) {
        states.remove(invokeId);
    }

    /** A state this instance created; the topic's copy replaces it as soon as it arrives. */
    public void created(InvocationState state) {
        states.putIfAbsent(state.invokeId(), state);
    }
}
