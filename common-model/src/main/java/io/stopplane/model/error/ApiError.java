package io.stopplane.model.error;

/** The API's error catalogue: HTTP status, {@code Code} and {@code Message} as Alibaba Cloud returns them. */
public enum ApiError {
    MISSING_PARAMETER(400, "MissingParameter",
            "The input parameter \"%s\" that is mandatory for processing this request is not supplied."),
    INVALID_PARAMETER(400, "InvalidParameter", "The specified parameter \"%s\" is not valid. %s"),
    INVALID_API(404, "InvalidApi.NotFound", "Specified api is not found, please check your url and method."),
    INVALID_VERSION(400, "InvalidVersion", "Specified parameter Version is not valid."),
    REGION_API_NOT_SUPPORTED(400, "RegionId.ApiNotSupported", "The api is not supported in this region."),
    INVALID_REGION(404, "InvalidRegionId.NotFound", "The RegionId provided does not exist in our records."),
    INSTANCE_IDS_EXCEED_LIMIT(403, "InstanceIds.ExceedLimit",
            "The number of instance IDs exceeds the upper limit."),
    OPERATION_FORBIDDEN(403, "Operation.Forbidden", "The operation is not permitted."),
    INVALID_INVOKE_ID(404, "InvalidInvokeId.NotFound", "The specified invoke ID does not exist."),
    INVALID_INSTANCE_ID(404, "InvalidInstanceId.NotFound", "The specified parameter InstanceId does not exist."),
    INVALID_COMMAND_TYPE(400, "InvalidParameter.Type", "The specified parameter Type is not valid."),
    COMMAND_CONTENT_EXCEED_LIMIT(400, "InvalidCmdContent.ExceedLimit",
            "The size of the command content exceeds the upper limit."),
    INVALID_COMMAND_CONTENT(400, "InvalidCommandContent.Malformed",
            "The specified parameter CommandContent is not valid Base64."),
    DISPATCH_FAILED(500, "InternalError.Dispatch", "An error occurred when you dispatched the request."),
    INTERNAL_ERROR(500, "InternalError", "The request processing has failed due to some unknown error."),
    SERVICE_UNAVAILABLE(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");

    private final int httpStatus;
    private final String code;
    private final String messageFormat;

    ApiError(int httpStatus, String code, String messageFormat) {
        this.httpStatus = httpStatus;
        this.code = code;
        this.messageFormat = messageFormat;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public String message(Object... args) {
        return String.format(messageFormat, args).trim();
    }
}
