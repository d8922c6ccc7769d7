package io.stopplane.gateway.report;

/**
 * A report as an agent sent it, every field a claim: {@link ReportCheck} decides whether it is written.
 * {@code agentTime} is the agent's clock, read and ignored. {@code run}: the run of a scheduled invocation reported on.
 */
public record AgentReport(String invokeId, String instanceId, String status, Integer exitCode, String errorCode,
        String errorInfo, String output, Long dropped, String agentTime, Integer run) {

    public AgentReport(String invokeId, String instanceId, String status, Integer exitCode, String errorCode,
            String errorInfo, String output, Long dropped, String agentTime) {
        this(invokeId, instanceId, status, exitCode, errorCode, errorInfo, output, dropped, agentTime, null);
    }
}
