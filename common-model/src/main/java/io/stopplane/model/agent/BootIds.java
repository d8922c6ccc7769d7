package io.stopplane.model.agent;

import java.util.regex.Pattern;

/**
 * What a boot id looks like: Linux's {@code /proc/sys/kernel/random/boot_id}, a random UUID the kernel draws at each
 * boot, in its lowercase form. The agent checks the one it reads before it says it; the gateway checks the one it hears,
 * since an agent's hello is outside the control plane.
 */
public final class BootIds {

    /** {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, 36 characters. */
    public static final int LENGTH = 36;
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private BootIds() {
    }

    public static boolean isValid(String bootId) {
        return bootId != null && bootId.length() == LENGTH && FORMAT.matcher(bootId).matches();
    }
}
