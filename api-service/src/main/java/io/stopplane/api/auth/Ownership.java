package io.stopplane.api.auth;

import io.stopplane.model.event.Caller;
import java.util.Objects;

/**
 * Tenant isolation in one rule: a caller sees an invocation or an instance only when it belongs to the caller's
 * account. Account-less callers (no-auth mode) see account-less resources. Whatever is not visible is reported as not
 * existing, never as forbidden.
 */
public final class Ownership {

    private Ownership() {
    }

    public static boolean visible(Caller caller, String ownerAccountId) {
        return Objects.equals(caller.accountId(), ownerAccountId);
    }
}
