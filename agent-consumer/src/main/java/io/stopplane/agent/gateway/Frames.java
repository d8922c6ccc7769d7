package io.stopplane.agent.gateway;

import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.json.StopPlaneJson;
import java.time.Instant;
import java.util.List;

/** The frames the agent writes (see docs/agent-gateway.md): one JSON object per text frame. */
final class Frames {

    private Frames() {
    }

    static String hello(GatewayConfig.AgentHost host, String killMethod, List<Identity> identities, String gatewayId,
            String nonce) {
        List<Proof> proofs = identities.stream()
                .map(i -> new Proof(i.instanceId().value(), i.sign(gatewayId, nonce)))
                .toList();
        return StopPlaneJson.mapper().writeValueAsString(
                new Hello("hello", host.version(), host.hostname(), killMethod, proofs));
    }

    static String report(String id, TaskKey key, TaskOutcome outcome, Instant agentTime) {
        Report report = new Report(key.invokeId().value(), key.instanceId().value(), outcome.status().wireName(),
                outcome.exitCode(), outcome.error() == null ? null : outcome.error().code(), outcome.errorInfo(),
                outcome.output(), outcome.dropped(), agentTime);
        return StopPlaneJson.mapper().writeValueAsString(new ReportFrame("report", id, report));
    }

    record Hello(String type, String agentVersion, String hostname, String killMethod, List<Proof> instances) {
    }

    record Proof(String instanceId, String signature) {
    }

    record ReportFrame(String type, String id, Report report) {
    }

    record Report(String invokeId, String instanceId, String status, Integer exitCode, String errorCode,
            String errorInfo, String output, long dropped, Instant agentTime) {
    }
}
