package io.stopplane.model.library;

/**
 * A command's content or parameter values that do not fit: an unknown built-in, too many parameters, a value missing
 * or one the command has no parameter for. The contract documents no code of its own for these, so the API answers
 * InvalidParameter naming {@link #parameter()} with this message (which names parameters, never their values).
 */
public final class InvalidTemplateException extends IllegalArgumentException {

    private final String parameter;

    InvalidTemplateException(String parameter, String why) {
        super(why);
        this.parameter = parameter;
    }

    /** The request parameter at fault: {@code CommandContent} or {@code Parameters}. */
    public String parameter() {
        return parameter;
    }
}
