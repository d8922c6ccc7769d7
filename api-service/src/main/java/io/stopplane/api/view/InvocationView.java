package io.stopplane.api.view;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The API's read view of {@code invocation-state}. Besides the topic, it holds what this API instance itself just
 * decided (a created invocation, a stop folded locally), so a client reads its own writes before the dispatcher has
 * folded them; the topic's copy replaces the local one as soon as it is as new. Indexed per account and region
 * ({@link InvocationIndex}): what a request reads is its page, not the view.
 */
public class InvocationView {

    private final Map<InvokeId, InvocationState> states = new ConcurrentHashMap<>();
    private final InvocationIndex index = new InvocationIndex();
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

    /** Every invocation: for a count once per scrape, never for a request. */
    public Collection<InvocationState> all() {
        return states.values();
    }

    /** The invocation this account created with this ClientToken, in any region. */
    public Optional<InvocationState> byToken(String accountId, String clientToken) {
        return index.token(accountId, clientToken).map(states::get);
    }

    /** The account's invocations in the region filed under {@code key} ({@link IndexKeys}). */
    public int count(String accountId, RegionId region, String key) {
        return index.shelf(accountId, region, key).map(Shelf::count).orElse(0);
    }

    /** Their targets summed: the rows DescribeInvocationResults lists for them. */
    public long targets(String accountId, RegionId region, String key) {
        return index.shelf(accountId, region, key).map(Shelf::weight).orElse(0L);
    }

    /**
     * Those invocations newest first, from {@code from} on (inclusive; null: from the newest), read lazily: a page
     * costs its rows. An index is updated just after the state it follows, so a reader checks its filter on what this
     * gives.
     */
    public Stream<InvocationState> from(String accountId, RegionId region, String key, Position from) {
        return index.shelf(accountId, region, key).stream()
                .flatMap(shelf -> shelf.from(from))
                .map(states::get)
                .filter(Objects::nonNull);
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
        InvocationState[] taken = new InvocationState[1];
        states.compute(state.invokeId(), (id, previous) -> {
            if (previous != null && state.version() < previous.version()) {
                return previous;
            }
            // A million of them must fit: keep one copy of what states have in common.
            return taken[0] = indexed(previous, shared.share(state, previous));
        });
        if (taken[0] != null) {
            changed(taken[0]);
        }
    }

    void remove(String key) {
        if (InvokeId.isValid(key)) {
            states.computeIfPresent(InvokeId.of(key), (id, previous) -> indexed(previous, null));
        }
    }

    /** A state this instance created. */
    public void created(InvocationState state) {
        InvocationState now = states.compute(state.invokeId(),
                (id, previous) -> previous != null ? previous : indexed(null, state));
        if (now == state) {
            changed(state);
        }
    }

    /** A state this instance folded from its own decision; kept only while it is newer than what the view has. */
    public void folded(InvocationState state) {
        changed(states.compute(state.invokeId(), (id, previous) -> previous != null
                && state.version() <= previous.version() ? previous : indexed(previous, state)));
    }

    private void changed(InvocationState state) {
        for (Consumer<InvocationState> listener : listeners) {
            listener.accept(state);
        }
    }

    private InvocationState indexed(InvocationState previous, InvocationState next) {
        index.update(previous, next);
        return next;
    }
}
