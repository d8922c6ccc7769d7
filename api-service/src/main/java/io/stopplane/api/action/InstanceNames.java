package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.error.ApiError;
import java.util.regex.Pattern;

/**
 * Alibaba's rule for a managed instance's name and an activation's name prefix: starts with a letter; letters, digits,
 * {@code . _ - :}; not {@code http://} or {@code https://}; at least 2 characters, at most the action's limit.
 */
final class InstanceNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._:-]*");

    private InstanceNames() {
    }

    static String check(String name, int max) {
        if (name.length() > max) {
            throw new ApiException(ApiError.INSTANCE_NAME_EXCEED_LIMIT, "It must be at most " + max + " characters.");
        }
        if (name.length() < 2 || !NAME.matcher(name).matches() || name.startsWith("http:")
                || name.startsWith("https:")) {
            throw new ApiException(ApiError.INSTANCE_NAME_INVALID_PATTERN, "It must start with a letter and contain "
                    + "only letters, digits, '.', '_', '-' and ':' (at least 2).");
        }
        return name;
    }
}
