package io.stopplane.stack.launch;

/** A launcher error: {@code bin/stopplane} prints {@code [stopplane] ERROR: <message>} and exits with {@link #exit}. */
public final class LaunchException extends RuntimeException {

    private final int exit;

    public LaunchException(String message) {
        this(message, 1);
    }

    public LaunchException(String message, int exit) {
        super(message);
        this.exit = exit;
    }

    public int exit() {
        return exit;
    }
}
