package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;

/** A lookup that missed: not found, unless the table it looked in is still being read, when the miss proves nothing. */
final class Lookup {

    private Lookup() {
    }

    static ApiException missing(boolean tableReady, ApiError notFound) {
        return new ApiException(tableReady ? notFound : ApiError.SERVICE_UNAVAILABLE);
    }

    /** The request's {@code InvokeId}: required, and of the form of ours. */
    static InvokeId invokeId(RpcRequest request) {
        String raw = request.required("InvokeId");
        if (!InvokeId.isValid(raw)) {
            throw RpcRequest.invalid("InvokeId", "It must look like t-<letters and digits>.");
        }
        return InvokeId.of(raw);
    }

    /**
     * The invocation, if it is in the region and the caller may see it; otherwise {@code InvalidInvokeId.NotFound}, the
     * same answer for another account's invocation as for one that does not exist.
     */
    static InvocationState invocation(InvocationView view, InvokeId id, RegionId region, Caller caller) {
        return view.get(id)
                .filter(s -> region.equals(s.regionId()) && Ownership.visible(caller, s.ownerAccountId()))
                .orElseThrow(() -> missing(view.ready(), ApiError.INVALID_INVOKE_ID));
    }
}
