package io.stopplane.model.event;

/**
 * Who made an API call, for the audit log: the account and AccessKeyId (never the secret), where from, with what client,
 * and the request. Fields are null when unknown (e.g. the local no-auth mode has no account).
 */
public record Caller(String accountId, String accessKeyId, String sourceIp, String requestId, String userAgent) {

    public Caller(String accountId, String accessKeyId, String sourceIp, String requestId) {
        this(accountId, accessKeyId, sourceIp, requestId, null);
    }
}
