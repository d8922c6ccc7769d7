package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.id.InstanceId;
import java.util.List;

/** Reads {@code InstanceId.N}: each id well-formed, duplicates once, and the limit each action has. */
final class InstanceIds {

    private InstanceIds() {
    }

    /** Malformed ids are a parameter error: checked with the other parameters, first. */
    static List<InstanceId> read(RpcRequest request) {
        return request.list("InstanceId").stream().map(raw -> {
            if (!InstanceId.isValid(raw)) {
                throw RpcRequest.invalid("InstanceId", "'" + raw + "' is not an instance id.");
            }
            return InstanceId.of(raw);
        }).toList();
    }

    /** The count limit is checked after the region: 403 InstanceIds.ExceedLimit. Duplicates were counted once. */
    static void requireAtMost(List<InstanceId> ids, int max) {
        if (ids.size() > max) {
            throw new ApiException(ApiError.INSTANCE_IDS_EXCEED_LIMIT);
        }
    }
}
