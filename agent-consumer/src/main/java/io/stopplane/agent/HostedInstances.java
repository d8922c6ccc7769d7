package io.stopplane.agent;

import io.stopplane.model.id.InstanceId;
import java.util.List;

/** The instances this agent hosts, as registration assigned them: the journal keeps a file for each. */
public record HostedInstances(List<InstanceId> ids) {

    public HostedInstances {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("an agent hosts at least one instance");
        }
        ids = List.copyOf(ids);
    }
}
