package io.stopplane.model.error;

/** The API's error catalogue: HTTP status, {@code Code} and {@code Message} as Alibaba Cloud returns them. */
public enum ApiError {
    MISSING_PARAMETER(400, "MissingParameter",
            "The input parameter \"%s\" that is mandatory for processing this request is not supplied."),
    INVALID_PARAMETER(400, "InvalidParameter", "The specified parameter \"%s\" is not valid. %s"),
    /** The answer to a check that passed ({@code RepeatMode=DryRun}): ECS's own DryRun code, nothing was created. */
    DRY_RUN_OPERATION(400, "DryRunOperation", "Request validation has been passed with DryRun flag set."),
    INVALID_API(404, "InvalidApi.NotFound", "Specified api is not found, please check your url and method."),
    INVALID_VERSION(400, "InvalidVersion", "Specified parameter Version is not valid."),
    REGION_API_NOT_SUPPORTED(400, "RegionId.ApiNotSupported", "The api is not supported in this region."),
    INVALID_REGION(404, "InvalidRegionId.NotFound", "The RegionId provided does not exist in our records."),
    INSTANCE_IDS_EXCEED_LIMIT(403, "InstanceIds.ExceedLimit",
            "The number of instance IDs exceeds the upper limit."),
    OPERATION_FORBIDDEN(403, "Operation.Forbidden", "The operation is not permitted."),
    INVALID_INVOKE_ID(404, "InvalidInvokeId.NotFound", "The specified invoke ID does not exist."),
    /** An action the invocation is not in a state for (ModifyInvocationAttribute on one that runs once or is over). */
    INVALID_OPERATION(403, "InvalidOperation", "The operation is not valid for this invocation: %s"),
    INVALID_INSTANCE_ID(404, "InvalidInstanceId.NotFound", "The specified parameter InstanceId does not exist."),
    INVALID_INSTANCE(404, "InvalidInstance.NotFound", "The specified instance does not exist."),
    // Activations and managed instances (CreateActivation … DeregisterManagedInstance), as Alibaba names them.
    ACTIVATION_NOT_FOUND(404, "ActivationId.NotFound", "The specified activation id does not exist."),
    ACTIVATION_IN_USE(403, "ActivationId.InUse", "The specified activation id is in use."),
    INSTANCE_NAME_EXCEED_LIMIT(400, "InstanceName.ExceedLimit", "The specified instance name exceed limit. %s"),
    INSTANCE_NAME_INVALID_PATTERN(400, "InstanceName.InvalidPattern",
            "The specified instance name pattern invalid. %s"),
    ACTIVATION_DESC_EXCEED_LIMIT(400, "ActivationDesc.ExceedLimit", "Activation description length exceeds."),
    ACTIVATION_LIMITATION_INVALID(400, "ActivationLimitation.Invalid",
            "The specified parameter InstanceCount exceeds the limit of %s."),
    ADDRESS_RANGE_INVALID_PATTERN(400, "AddressRange.InvalidPattern",
            "Address range should be ipv4 address, ipv6 address or cidr."),
    ACTIVATION_TTL_EXCEED_LIMIT(400, "ActivationTTL.ExceedLimit",
            "The specified parameter TimeToLiveInHours exceeds the limit of %s."),
    ACTIVATION_COUNT_EXCEED_LIMIT(400, "ActivationCount.ExceedLimit",
            "The count of activation in current region exceeds the limit of %s."),
    IDEMPOTENT_PARAMETER_MISMATCH(403, "IdempotentParameterMismatch",
            "The request uses the same client token as a previous, but non-identical request."),
    // The command library (CreateCommand … InvokeCommand).
    INVALID_COMMAND_ID(404, "InvalidCommandId.NotFound", "The specified command ID does not exist."),
    INVALID_COMMAND_TYPE(400, "InvalidParameter.Type", "The specified parameter Type is not valid."),
    COMMAND_CONTENT_EXCEED_LIMIT(400, "InvalidCmdContent.ExceedLimit",
            "The size of the command content exceeds the upper limit."),
    INVALID_COMMAND_CONTENT(400, "InvalidCommandContent.Malformed",
            "The specified parameter CommandContent is not valid Base64."),
    INVALID_ACCESS_KEY_NOT_FOUND(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."),
    INVALID_ACCESS_KEY_INACTIVE(400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled."),
    SIGNATURE_DOES_NOT_MATCH(400, "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation. server string to sign is:%s"),
    INCOMPLETE_SIGNATURE(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. %s"),
    INVALID_TIMESTAMP_EXPIRED(400, "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired (more than 15 minutes from the server time)."),
    INVALID_TIMESTAMP_FORMAT(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."),
    SIGNATURE_NONCE_USED(400, "SignatureNonceUsed", "Specified signature nonce was used already."),
    SECURITY_TOKEN_UNSUPPORTED(400, "InvalidSecurityToken.NotSupported",
            "STS security tokens are not supported by this endpoint; sign with an AccessKey pair."),
    THROTTLING_USER(400, "Throttling.User", "Request was denied due to user flow control."),
    THROTTLING(400, "Throttling", "Request was denied due to request throttling."),
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
