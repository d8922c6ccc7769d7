package io.stopplane.model.schedule;

import io.stopplane.model.error.ApiError;

/**
 * A {@code Frequency} or {@code RepeatMode} that is malformed or outside Alibaba's limits. The reference documents no
 * code of its own for these, so it is the gateway's {@code InvalidParameter} (or {@code MissingParameter} for a Period
 * without a Frequency) naming the parameter, with a message that says what is wrong (never the command).
 */
public final class InvalidFrequencyException extends IllegalArgumentException {

    private final ApiError error;
    private final String parameter;

    InvalidFrequencyException(String why) {
        this(ApiError.INVALID_PARAMETER, "Frequency", why);
    }

    InvalidFrequencyException(ApiError error, String parameter, String why) {
        super(why);
        this.error = error;
        this.parameter = parameter;
    }

    public ApiError error() {
        return error;
    }

    /** The request parameter at fault: {@code Frequency} or {@code RepeatMode}. */
    public String parameter() {
        return parameter;
    }

    /** The Alibaba {@code Message}. */
    public String apiMessage() {
        return error == ApiError.MISSING_PARAMETER ? error.message(parameter) : error.message(parameter, getMessage());
    }
}
