package io.stopplane.api.action;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of a scheduled invocation, one record each, as DescribeInvocationResults lists them with
 * {@code IncludeHistory=true}: read from the invocation's reports in {@code invocation-events} (the audit log, where
 * every run's start and outcome are, outputs included), not from its state, which holds the latest run only. A run is
 * shown as a target is ({@link InvocationRenderer#result}): its status, exit code, output, start and finish, its
 * {@code Repeats} the run's number. Reports the fold ignored (a late copy, a run given up) are left out the same way:
 * only the first start and the first outcome of a run count.
 */
final class RunHistory {

    private RunHistory() {
    }

    /** Each run of each target, by target in the invocation's order, then by run. */
    static List<InstanceState> runs(InvocationState s, List<InvocationEvent> events) {
        Map<String, InstanceState> runs = new LinkedHashMap<>();
        for (InvocationEvent e : events) {
            if (!(e instanceof InstanceStatusReported r) || r.run() == null || s.instance(r.instanceId()).isEmpty()) {
                continue;
            }
            String key = r.instanceId().value() + "/" + r.run();
            InstanceState run = runs.get(key);
            if (r.status() == InstanceStatus.RUNNING && run == null) {
                runs.put(key, new InstanceState(r.instanceId(), InstanceStatus.RUNNING, null, null, null, null, 0,
                        r.occurredAt(), r.occurredAt(), null, null, r.occurredAt(), r.run(), r.run(), null, false, null));
            } else if (r.status().isTerminal() && run != null && run.status() == InstanceStatus.RUNNING) {
                runs.put(key, new InstanceState(r.instanceId(), r.status(), r.exitCode(), r.errorCode(),
                        r.errorInfo(), r.output(), r.dropped(), run.creationTime(), run.startTime(), r.occurredAt(),
                        r.status().isStopped() ? r.occurredAt() : null, r.occurredAt(), r.run(), r.run(), null,
                        false, null));
            }
        }
        List<String> order = s.instances().stream().map(i -> i.instanceId().value()).toList();
        return runs.values().stream()
                .sorted(Comparator.comparingInt((InstanceState i) -> order.indexOf(i.instanceId().value()))
                        .thenComparing(InstanceState::run))
                .toList();
    }
}
