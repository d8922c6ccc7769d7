package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.view.IndexKeys;
import io.stopplane.api.view.InvocationView;
import io.stopplane.api.view.Position;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The invocations a caller may see in a region, newest first: what every Describe action reads. Read from the
 * narrowest of the view's per-account indexes that the filters name, from the page's position on, so a page costs its
 * rows however many invocations the view (or the account) holds; looked up directly when the caller names the
 * invocation.
 */
@Component
class VisibleInvocations {

    /** How an index counts the rows of a listing whose whole filter is that index. */
    enum Count { INVOCATIONS, TARGETS }

    /**
     * What a Describe lists.
     *
     * @param keys the index keys ({@link IndexKeys}) its filters name; none: every invocation
     * @param filter the whole filter, those keys' conditions included: checked on every row read
     * @param keyed whether the filter is no more than its one key (or none), so the index's count is the total
     */
    record Selection(RegionId region, Caller caller, Optional<String> invokeId, List<String> keys,
            Predicate<InvocationState> filter, boolean keyed) {
    }

    private final InvocationView view;

    VisibleInvocations(InvocationView view) {
        this.view = view;
    }

    /** The selected invocations newest first, from the one at {@code after} on (inclusive; null: from the newest). */
    Stream<InvocationState> from(Selection sel, RowKey after) {
        Stream<InvocationState> candidates;
        if (sel.invokeId().isPresent()) {
            candidates = InvokeId.isValid(sel.invokeId().get())
                    ? view.get(InvokeId.of(sel.invokeId().get())).stream() : Stream.empty();
        } else {
            Position from = after == null ? null : new Position(after.time(), after.id());
            candidates = view.from(sel.caller().accountId(), sel.region(), narrowest(sel), from);
        }
        return candidates
                .filter(s -> sel.region().equals(s.regionId()) && Ownership.visible(sel.caller(), s.ownerAccountId()))
                .filter(sel.filter());
    }

    /** The number of rows the selection lists: the index's count when it is the whole filter, else read and counted. */
    long total(Selection sel, Count count, ToLongFunction<InvocationState> rows) {
        if (sel.invokeId().isEmpty() && sel.keyed()) {
            String key = narrowest(sel);
            String account = sel.caller().accountId();
            return count == Count.INVOCATIONS ? view.count(account, sel.region(), key)
                    : view.targets(account, sel.region(), key);
        }
        return from(sel, null).mapToLong(rows).sum();
    }

    /** The invocations of the caller in the region under one key, newest first. */
    Stream<InvocationState> under(RegionId region, Caller caller, String key) {
        return from(new Selection(region, caller, Optional.empty(), List.of(key), s -> true, true), null);
    }

    int count(RegionId region, Caller caller, String key) {
        return view.count(caller.accountId(), region, key);
    }

    private String narrowest(Selection sel) {
        return sel.keys().stream()
                .min(Comparator.comparingInt(k -> view.count(sel.caller().accountId(), sel.region(), k)))
                .orElse(IndexKeys.ALL);
    }

    static RowKey key(InvocationState s) {
        return key(s, 0);
    }

    static RowKey key(InvocationState s, int instanceIndex) {
        Instant created = s.creationTime() == null ? Instant.EPOCH : s.creationTime();
        return new RowKey(created.toEpochMilli(), s.invokeId().value(), instanceIndex);
    }
}
