package io.stopplane.gateway.report;

/**
 * A report as an agent sent it, every field a claim: {@link ReportCheck} decides whether it is written.
 * {@code agentTime} is the agent's clock, read and ignored.
 */
public record AgentReport(String invokeId, String instanceId, String status, Integer exitCode, String errorCode,
        String errorInfo, String output, Long dropped, String agentTime) {
}
