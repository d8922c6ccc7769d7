package io.stopplane.api.support;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;

/**
 * Stands in for the signed-requests authorizer: {@code AccessKeyId=forbidden} may call nothing, {@code acct-X} is
 * account X, anything else is the account-less local caller (as in the no-auth mode).
 */
public class TestAuthorizer implements ActionAuthorizer {

    public static final String FORBIDDEN_KEY = "forbidden";

    @Override
    public Caller authorize(RpcRequest request) {
        String key = request.accessKeyId();
        if (FORBIDDEN_KEY.equals(key)) {
            throw new ApiException(ApiError.OPERATION_FORBIDDEN);
        }
        String account = key != null && key.startsWith("acct-") ? key.substring(5) : null;
        return new Caller(account, key, request.sourceIp(), request.requestId());
    }
}
