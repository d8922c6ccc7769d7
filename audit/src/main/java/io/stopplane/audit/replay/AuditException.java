package io.stopplane.audit.replay;

/** A failure to report as one line, not a stack trace: no such topic, no broker. */
public final class AuditException extends RuntimeException {

    public AuditException(String message) {
        super(message);
    }

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
