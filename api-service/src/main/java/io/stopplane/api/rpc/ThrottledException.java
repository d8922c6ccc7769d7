package io.stopplane.api.rpc;

import io.stopplane.model.error.ApiError;

/** Throttling.User, with how long the caller should wait ({@code x-acs-retry-after}, milliseconds). */
public class ThrottledException extends ApiException {

    private final long retryAfterMillis;

    public ThrottledException(long retryAfterMillis) {
        super(ApiError.THROTTLING_USER);
        this.retryAfterMillis = retryAfterMillis;
    }

    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
