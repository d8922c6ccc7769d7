package io.stopplane.api.auth;

import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The local no-auth mode (loopback only, see LoopbackGuard): every caller may do everything and has no account, so it
 * sees what other account-less callers created. The access key id it sends, if any, is recorded unverified.
 */
@Component
@ConditionalOnProperty(name = "stopplane.api.auth-mode", havingValue = "none", matchIfMissing = true)
class NoAuthAuthorizer implements ActionAuthorizer {

    @Override
    public Caller authorize(RpcRequest request) {
        return new Caller(null, request.accessKeyId(), request.sourceIp(), request.requestId(), request.userAgent());
    }
}
