package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.id.InstanceId;
import java.util.List;

/** Reads {@code InstanceId.N}, checking each id's form and naming the offending parameter. */
final class InstanceIds {

    private InstanceIds() {
    }

    static List<InstanceId> read(RpcRequest request) {
        return request.list("InstanceId").stream().map(raw -> {
            if (!InstanceId.isValid(raw)) {
                throw RpcRequest.invalid("InstanceId", "'" + raw + "' is not an instance id.");
            }
            return InstanceId.of(raw);
        }).toList();
    }
}
