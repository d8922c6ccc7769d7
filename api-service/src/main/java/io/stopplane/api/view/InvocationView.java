package io.stopplane.api.view;

import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import java.util.ArrayList;
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
 * The API's read view of {@code invocation-state}, whose one writer is the dispatcher. So that a client reads its own
 * writes before the dispatcher has folded them, this API instance adds what it just decided: a created invocation
 * (replaced by the topic's first copy) and an explicit overlay of its own stops, each kept on top of every newer copy
 * the topic brings until that copy includes it (folding the stop into it would change nothing), then dropped. A report
 * of another target folded before the stop therefore never hides the stop. Indexed per account and region
 * ({@link InvocationIndex}): what a request reads is its page, not the view.
 */
public class InvocationView {

    /** What reads see: the topic's copy, with this instance's pending stops folded on top where it has any. */
    private final Map<InvokeId, InvocationState> states = new ConcurrentHashMap<>();
    /** Per invocation with pending stops: the copy they lie on and the stops; changed only under its key in states. */
    private final Map<InvokeId, Overlay> overlays = new ConcurrentHashMap<>();
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

    /**
     * A target record read from the topic under {@code key}, laid on the copy the view has of its invocation (none: its
     * state is not here, and the record is dropped). The dispatcher writes a target's record after its invocation's
     * state, on the same partition; a target's tombstone comes with its invocation's, which removes it.
     */
    public void apply(String key, InvocationTarget record) {
        InvocationState[] taken = new InvocationState[1];
        String invokeId = InvocationState.invokeIdOf(key);
        if (!InvokeId.isValid(invokeId)) {
            return;
        }
        states.computeIfPresent(InvokeId.of(invokeId), (id, previous) -> {
            Overlay overlay = overlays.get(id);
            InvocationState base = overlay != null ? overlay.base() : previous;
            return taken[0] = fromTopic(id, previous, overlay, base.with(shared.share(record)));
        });
        if (taken[0] != null) {
            changed(taken[0]);
        }
    }

    /**
     * A state read from the topic: the newest version wins, the topic's on a tie; this instance's stops that it does not
     * include yet stay folded on top.
     */
    public void apply(InvocationState state) {
        InvocationState[] taken = new InvocationState[1];
        states.compute(state.invokeId(), (id, previous) -> {
            Overlay overlay = overlays.get(id);
            InvocationState base = overlay != null ? overlay.base() : previous;
            if (base != null && state.version() < base.version()) {
                return previous;
            }
            // A million of them must fit: keep one copy of what states have in common.
            return taken[0] = fromTopic(id, previous, overlay, shared.share(state, base));
        });
        if (taken[0] != null) {
            changed(taken[0]);
        }
    }

    /** The topic's newest copy {@code topic} with the pending stops it does not include yet folded on top; indexed. */
    private InvocationState fromTopic(InvokeId id, InvocationState previous, Overlay overlay, InvocationState topic) {
        InvocationState shown = topic;
        if (overlay != null) {
            List<StopRequested> pending = overlay.stops().stream()
                    .filter(stop -> InvocationFold.apply(topic, stop) != topic).toList();
            if (pending.isEmpty()) {
                overlays.remove(id);
            } else {
                overlays.put(id, new Overlay(topic, pending));
                shown = Overlay.fold(topic, pending);
            }
        }
        return indexed(previous, shown);
    }

    void remove(String key) {
        if (InvokeId.isValid(key)) {
            states.computeIfPresent(InvokeId.of(key), (id, previous) -> {
                overlays.remove(id);
                return indexed(previous, null);
            });
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

    /**
     * A stop this instance accepted and published: shown at once (Stopping, StopTime) on top of what the view has, and
     * on top of every newer copy from the topic until one includes it.
     */
    public void stopped(StopRequested stop) {
        InvocationState[] shown = new InvocationState[1];
        states.computeIfPresent(stop.invokeId(), (id, previous) -> {
            Overlay overlay = overlays.get(id);
            Overlay next = overlay == null ? new Overlay(previous, List.of(stop)) : overlay.with(stop);
            overlays.put(id, next);
            return shown[0] = indexed(previous, Overlay.fold(next.base(), next.stops()));
        });
        if (shown[0] != null) {
            changed(shown[0]);
        }
    }

    /** How many invocations show a stop the topic does not include yet (a gauge: it should fall back to zero). */
    public int pendingStops() {
        return overlays.size();
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

    /** The copy (the topic's, or this instance's own creation) that pending stops lie on, and the stops in order. */
    private record Overlay(InvocationState base, List<StopRequested> stops) {

        Overlay with(StopRequested stop) {
            List<StopRequested> more = new ArrayList<>(stops);
            more.add(stop);
            return new Overlay(base, List.copyOf(more));
        }

        static InvocationState fold(InvocationState base, List<StopRequested> stops) {
            InvocationState shown = base;
            for (StopRequested stop : stops) {
                shown = InvocationFold.apply(shown, stop);
            }
            return shown;
        }
    }
}
