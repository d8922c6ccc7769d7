package io.stopplane.api.auth;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;

/**
 * Signature mode: the request was authenticated before the action ran (see RpcController); here the key's permission
 * for the action is checked, at the action's place in the order of checks, before anything is looked up.
 */
class SignatureAuthorizer implements ActionAuthorizer {

    @Override
    public Caller authorize(RpcRequest request) {
        Principal principal = request.principal();
        if (principal == null) {
            throw new ApiException(ApiError.INCOMPLETE_SIGNATURE, "Sign with an AccessKey pair (signature V1 or V3).");
        }
        if (!principal.may(request.action())) {
            throw new ApiException(ApiError.OPERATION_FORBIDDEN);
        }
        return new Caller(principal.accountId(), principal.accessKeyId(), request.sourceIp(), request.requestId(),
                request.userAgent());
    }
}
