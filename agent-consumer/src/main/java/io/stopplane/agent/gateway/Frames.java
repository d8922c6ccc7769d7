package io.stopplane.agent.gateway;

import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.agent.AgentFrames;
import java.time.Instant;
import java.util.List;

/** The frames the agent writes ({@link AgentFrames}, docs/agent-gateway.md), from what the agent holds. */
final class Frames {

    private Frames() {
    }

    static String hello(GatewayConfig.AgentHost host, String killMethod, List<Identity> identities, String gatewayId,
            String nonce) {
        List<AgentFrames.Proof> proofs = identities.stream()
                .map(i -> new AgentFrames.Proof(i.instanceId().value(), i.sign(gatewayId, nonce)))
                .toList();
        return AgentFrames.hello(host.version(), host.hostname(), killMethod, host.bootId(), proofs);
    }

    static String report(String id, TaskKey key, TaskOutcome outcome, Instant agentTime) {
        return AgentFrames.report(id, new AgentFrames.Report(key.invokeId().value(), key.instanceId().value(),
                outcome.status().wireName(), outcome.exitCode(), outcome.error() == null ? null : outcome.error().code(),
                outcome.errorInfo(), outcome.output(), outcome.dropped(), agentTime, key.run()));
    }
}
