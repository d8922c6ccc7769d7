package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.Comparator;
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
        return view.all().stream()
                .filter(s -> region.equals(s.regionId()) && Ownership.visible(caller, s.ownerAccountId()))
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
