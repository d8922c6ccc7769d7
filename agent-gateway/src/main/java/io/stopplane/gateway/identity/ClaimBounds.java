package io.stopplane.gateway.identity;

import java.util.regex.Pattern;

/**
 * The bounds of what an agent says about itself (hostname, OS, version): informational only, yet written to topics and
 * logs, so short and printable ASCII.
 */
public final class ClaimBounds {

    public static final int HOSTNAME = 255;
    public static final int OS_TYPE = 32;
    public static final int AGENT_VERSION = 64;
    public static final int KILL_METHOD = 32;
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]*");

    private ClaimBounds() {
    }

    /** @throws IllegalArgumentException naming the field, when {@code value} (null is fine) is out of bounds */
    public static void check(String name, String value, int max) {
        if (value != null && (value.length() > max || !PRINTABLE.matcher(value).matches())) {
            throw new IllegalArgumentException(name + " must be at most " + max + " printable ASCII characters");
        }
    }
}
