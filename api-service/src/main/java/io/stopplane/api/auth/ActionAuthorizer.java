package io.stopplane.api.auth;

import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;

/**
 * Who is calling, and may they call this action? Each action asks at its place in the order of checks: after the
 * parameters, the region and the limits are known good, before any resource is looked up — so a caller without the
 * permission learns nothing about what exists.
 *
 * <p>The signed-requests work plugs in here: verify the signature, resolve the key to an account, check the key's
 * permission for {@link RpcRequest#action()}. The local no-auth mode allows everything.
 */
public interface ActionAuthorizer {

    /**
     * @return the caller, with its account id when known; resources are visible to it only when their owner account
     *     equals that id (see {@link Ownership})
     * @throws io.stopplane.api.rpc.ApiException {@code Operation.Forbidden} when the caller may not call this action
     */
    Caller authorize(RpcRequest request);
}
