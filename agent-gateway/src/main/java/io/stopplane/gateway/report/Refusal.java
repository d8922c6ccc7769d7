package io.stopplane.gateway.report;

/** Why a report was not written: a code for the {@code refused} frame and the counter, and a message for the agent. */
public record Refusal(String code, String message) {
}
