package io.stopplane.model.agent;

import io.stopplane.model.json.StopPlaneJson;
import java.time.Instant;
import java.util.List;

/**
 * The frames an agent writes to its gateway (docs/agent-gateway.md): one JSON object per text frame. The agent and the
 * bench's simulated fleet both write them here.
 */
public final class AgentFrames {

    private AgentFrames() {
    }

    /**
     * The answer to a challenge: each instance with its signature over it ({@link AgentKeys#sign}), and the boot id of
     * the host ({@link BootIds}; null: none known, reboot-mode invocations then never run on it).
     */
    public static String hello(String agentVersion, String hostname, String killMethod, String bootId,
            List<Proof> proofs) {
        return StopPlaneJson.mapper().writeValueAsString(new Hello("hello", agentVersion, hostname, killMethod, bootId,
                proofs));
    }

    /** A report; the gateway answers {@code ack} or {@code refused} with the same {@code id}. */
    public static String report(String id, Report report) {
        return StopPlaneJson.mapper().writeValueAsString(new ReportFrame("report", id, report));
    }

    public record Hello(String type, String agentVersion, String hostname, String killMethod, String bootId,
            List<Proof> instances) {
    }

    public record Proof(String instanceId, String signature) {
    }

    public record ReportFrame(String type, String id, Report report) {
    }

    /**
     * {@code agentTime} is the agent's clock: the gateway reads and ignores it. {@code run}: the run of a scheduled
     * invocation, as its RunCommand numbered it; null for a run-once invocation.
     */
    public record Report(String invokeId, String instanceId, String status, Integer exitCode, String errorCode,
            String errorInfo, String output, long dropped, Instant agentTime, Integer run) {

        public Report(String invokeId, String instanceId, String status, Integer exitCode, String errorCode,
                String errorInfo, String output, long dropped, Instant agentTime) {
            this(invokeId, instanceId, status, exitCode, errorCode, errorInfo, output, dropped, agentTime, null);
        }
    }
}
