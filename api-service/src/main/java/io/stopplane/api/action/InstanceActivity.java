package io.stopplane.api.action;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Per instance, from the invocation view in one pass: runs in all, runs not yet finished, the last one's creation. */
final class InstanceActivity {

    private final Map<InstanceId, long[]> counts = new HashMap<>();
    private final Map<InstanceId, Instant> lastInvoked = new HashMap<>();

    private InstanceActivity() {
    }

    static InstanceActivity of(Stream<InvocationState> invocations) {
        InstanceActivity a = new InstanceActivity();
        invocations.forEach(s -> {
            for (InstanceState i : s.instances()) {
                long[] c = a.counts.computeIfAbsent(i.instanceId(), k -> new long[2]);
                c[0]++;
                if (!i.status().isTerminal()) {
                    c[1]++;
                }
                if (s.creationTime() != null) {
                    a.lastInvoked.merge(i.instanceId(), s.creationTime(), (x, y) -> x.isAfter(y) ? x : y);
                }
            }
        });
        return a;
    }

    long total(InstanceId id) {
        return counts.getOrDefault(id, new long[2])[0];
    }

    long active(InstanceId id) {
        return counts.getOrDefault(id, new long[2])[1];
    }

    Instant lastInvoked(InstanceId id) {
        return lastInvoked.get(id);
    }
}
