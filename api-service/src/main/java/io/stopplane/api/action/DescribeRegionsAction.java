package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties.Region;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * DescribeRegions, from configuration. {@code LocalName} is in Chinese unless {@code AcceptLanguage} asks for English
 * or Japanese (English then). {@code CloudAssistantEnabled} is ours: false where the invocation actions answer
 * RegionId.ApiNotSupported. InstanceChargeType and ResourceType are accepted and change nothing: every region here
 * serves every kind.
 */
@Component
class DescribeRegionsAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;

    DescribeRegionsAction(Regions regions, ActionAuthorizer authorizer) {
        this.regions = regions;
        this.authorizer = authorizer;
    }

    @Override
    public String action() {
        return "DescribeRegions";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        String language = request.optional("AcceptLanguage").orElse("zh-CN");
        boolean english = language.equalsIgnoreCase("en-US") || language.equalsIgnoreCase("ja");
        authorizer.authorize(request);
        List<Map<String, Object>> list = regions.all().entrySet().stream()
                .map(e -> region(e.getKey(), e.getValue(), english, request.host()))
                .toList();
        return Map.of("Regions", Map.of("Region", list));
    }

    private static Map<String, Object> region(String id, Region region, boolean english, String host) {
        String name = region.name() == null ? id : region.name();
        String local = english || region.localName() == null ? name : region.localName();
        String endpoint = region.endpoint() != null ? region.endpoint()
                : host != null ? host : "ecs." + id + ".aliyuncs.com";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("RegionId", id);
        m.put("LocalName", local);
        m.put("RegionEndpoint", endpoint);
        m.put("Status", "available");
        m.put("CloudAssistantEnabled", region.cloudAssistant());
        return m;
    }
}
