package io.stopplane.api.rpc;

import io.stopplane.model.error.ApiError;

/**
 * Throttling.User (an account over its rate) or Throttling (a source address over its failures, or no room left to
 * check a nonce), with how long the caller should wait ({@code x-acs-retry-after}, milliseconds).
 */
public class ThrottledException extends ApiException {

    private final long retryAfterMillis;

    public ThrottledException(ApiError error, long retryAfterMillis) {
        super(error);
        this.retryAfterMillis = retryAfterMillis;
    }

    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
