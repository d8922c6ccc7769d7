package io.stopplane.model.error;

/** The per-instance {@code ErrorCode} / {@code ErrorInfo} wire values of Cloud Assistant. */
public enum InstanceErrorCode {
    INSTANCE_NOT_EXISTS("InstanceNotExists", "the specified instance does not exists"),
    INSTANCE_NOT_RUNNING("InstanceNotRunning", "the instance is not running when create task"),
    ACCOUNT_NOT_EXISTS("AccountNotExists", "the specified account does not exists"),
    DIRECTORY_NOT_EXISTS("DirectoryNotExists", "the specified directory does not exists"),
    BAD_CRON_EXPRESSION("BadCronExpression", "the cron job expression is invalid"),
    CLIENT_NOT_RUNNING("ClientNotRunning", "the aliyun service is not running on the instance"),
    CLIENT_NOT_RESPONSE("ClientNotResponse", "the aliyun service in the instance does not response"),
    DELIVERY_TIMEOUT("DeliveryTimeout", "the command delivery has been timeout"),
    EXECUTION_TIMEOUT("ExecutionTimeout", "the command execution has been timeout"),
    EXECUTION_EXCEPTION("ExecutionException", "the command execution got an exception"),
    EXECUTION_INTERRUPTED("ExecutionInterrupted", "the command execution has been interrupted"),
    EXIT_CODE_NONZERO("ExitCodeNonzero", "the command execution exit code is not zero");

    private final String code;
    private final String info;

    InstanceErrorCode(String code, String info) {
        this.code = code;
        this.info = info;
    }

    public String code() {
        return code;
    }

    public String info() {
        return info;
    }
}
