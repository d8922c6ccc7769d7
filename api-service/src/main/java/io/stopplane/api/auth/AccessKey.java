package io.stopplane.api.auth;

import java.util.List;
import java.util.Objects;

/**
 * One AccessKey of an account: the secret never leaves this record (toString hides it). Fails closed: a key may call
 * only the actions it lists ({@code "*"}: all), none when it lists none.
 */
record AccessKey(String accessKeyId, String accessKeySecret, boolean enabled, List<String> actions) {

    AccessKey {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(accessKeySecret, "accessKeySecret");
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    boolean permits(String action) {
        return actions.contains("*") || actions.contains(action);
    }

    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + ", enabled=" + enabled + ", actions=" + actions + "]";
    }
}
