package io.stopplane.api.action;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.id.RegionId;
import org.springframework.stereotype.Component;

/** The region check every action makes: required, well-formed, and one this deployment serves. */
@Component
class Regions {

    private final ApiProperties props;

    Regions(ApiProperties props) {
        this.props = props;
    }

    RegionId require(RpcRequest request) {
        String region = request.required("RegionId");
        if (!RegionId.isValid(region)) {
            throw RpcRequest.invalid("RegionId", "It must look like cn-hangzhou.");
        }
        if (!props.regions().contains(region)) {
            throw new ApiException(ApiError.INVALID_REGION);
        }
        return RegionId.of(region);
    }
}
