package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.error.ApiError;

/** A lookup that missed: not found, unless the table it looked in is still being read, when the miss proves nothing. */
final class Lookup {

    private Lookup() {
    }

    static ApiException missing(boolean tableReady, ApiError notFound) {
        return new ApiException(tableReady ? notFound : ApiError.SERVICE_UNAVAILABLE);
    }
}
