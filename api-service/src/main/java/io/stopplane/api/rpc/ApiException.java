package io.stopplane.api.rpc;

import io.stopplane.model.error.ApiError;

/** A request the API refuses, with the Alibaba error it maps to. */
public class ApiException extends RuntimeException {

    private final ApiError error;

    public ApiException(ApiError error, Object... args) {
        super(error.message(args));
        this.error = error;
    }

    public ApiException(ApiError error, Throwable cause, Object... args) {
        super(error.message(args), cause);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
