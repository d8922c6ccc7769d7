package io.stopplane.agent.report;

/**
 * The control plane refused a report and changed nothing (not this agent's instance, not a target, a status an agent
 * may not report, output too large). Sending it again cannot help: it is not retried while the agent runs.
 */
public class ReportRefused extends RuntimeException {

    private final String code;

    public ReportRefused(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
