package io.stopplane.api.action;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.config.ApiProperties.Region;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.id.RegionId;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The region catalogue from configuration, and the two region checks of every invocation action. */
@Component
class Regions {

    private final SortedMap<String, Region> regions;

    Regions(ApiProperties props) {
        this.regions = new TreeMap<>(props.regions());
    }

    /** {@code RegionId}: present and well-formed. Part of the parameter checks, which come first. */
    RegionId parse(RpcRequest request) {
        String region = request.required("RegionId");
        if (!RegionId.isValid(region)) {
            throw RpcRequest.invalid("RegionId", "It must look like cn-hangzhou.");
        }
        return RegionId.of(region);
    }

    /** Known (else 404 InvalidRegionId.NotFound), then with Cloud Assistant (else 400 RegionId.ApiNotSupported). */
    void requireCloudAssistant(RegionId regionId) {
        Region region = regions.get(regionId.value());
        if (region == null) {
            throw new ApiException(ApiError.INVALID_REGION);
        }
        if (!region.cloudAssistant()) {
            throw new ApiException(ApiError.REGION_API_NOT_SUPPORTED);
        }
    }

    /** Both checks, for actions whose only parameter check is the region's. */
    RegionId require(RpcRequest request) {
        RegionId regionId = parse(request);
        requireCloudAssistant(regionId);
        return regionId;
    }

    /** Every region, by id. */
    Map<String, Region> all() {
        return regions;
    }
}
