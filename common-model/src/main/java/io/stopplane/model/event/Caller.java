package io.stopplane.model.event;

/** Who made an API call, for the audit log. Fields are null when unknown (e.g. the local no-auth mode has no account). */
public record Caller(String accountId, String accessKeyId, String sourceIp, String requestId) {
}
