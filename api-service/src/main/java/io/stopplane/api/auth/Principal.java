package io.stopplane.api.auth;

/** Who a request is from, once authenticated. In the local no-auth mode the account is null. */
public record Principal(String accountId, String accessKeyId, AccessKeyPermissions permissions) {

    public static final Principal ANONYMOUS = new Principal(null, null, action -> true);

    public boolean may(String action) {
        return permissions.permits(action);
    }

    /** What actions a key may call. */
    @FunctionalInterface
    public interface AccessKeyPermissions {
        boolean permits(String action);
    }
}
