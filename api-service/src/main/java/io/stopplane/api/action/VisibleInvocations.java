package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/** The invocations a caller may see in a region, newest first: what every Describe action starts from. */
@Component
class VisibleInvocations {

    private final InvocationView view;

    VisibleInvocations(InvocationView view) {
        this.view = view;
    }

    Stream<InvocationState> in(RegionId region, Caller caller) {
        return in(region, caller, Optional.empty(), s -> true);
    }

    /**
     * Those of them that pass {@code filter}, newest first. Filtered before they are sorted, and looked up directly
     * when the caller names the invocation: with a million invocations in the view, sorting them all for every call
     * would take a second.
     */
    Stream<InvocationState> in(RegionId region, Caller caller, Optional<String> invokeId,
            Predicate<InvocationState> filter) {
        Stream<InvocationState> candidates = invokeId.isPresent()
                ? (InvokeId.isValid(invokeId.get()) ? view.get(InvokeId.of(invokeId.get())).stream() : Stream.empty())
                : view.all().stream();
        return candidates
                .filter(s -> region.equals(s.regionId()) && Ownership.visible(caller, s.ownerAccountId()))
                .filter(filter)
                .sorted(Comparator.comparing(VisibleInvocations::key));
    }

    static RowKey key(InvocationState s) {
        return key(s, 0);
    }

    static RowKey key(InvocationState s, int instanceIndex) {
        Instant created = s.creationTime() == null ? Instant.EPOCH : s.creationTime();
        return new RowKey(created.toEpochMilli(), s.invokeId().value(), instanceIndex);
    }
}
