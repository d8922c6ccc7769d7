package io.stopplane.api.rpc;

import java.util.Map;

/** One API action. The response map is rendered as JSON or XML in the Alibaba shape; it never has a {@code Code}. */
public interface ActionHandler {

    String action();

    Map<String, Object> handle(RpcRequest request);
}
