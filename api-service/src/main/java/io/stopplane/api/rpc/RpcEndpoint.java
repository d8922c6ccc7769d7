package io.stopplane.api.rpc;

/**
 * Marks a controller outside the RPC endpoint that answers in the API's terms (the console's live feed): its
 * {@link ApiException}s become Alibaba error bodies through the one error advice.
 */
public interface RpcEndpoint {
}
