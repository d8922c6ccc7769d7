package io.stopplane.api.console;

import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feed's event bodies, in the API's field names. An event says what changed, status by status; the details (exit
 * codes, output, times) stay with DescribeInvocations and DescribeInvocationResults, so a feed event stays small
 * whatever the output.
 */
final class FeedEvents {

    private FeedEvents() {
    }

    static String invocation(InvocationState s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("InvokeId", s.invokeId().value());
        body.put("RegionId", s.regionId() == null ? null : s.regionId().value());
        body.put("InvocationStatus", s.invocationStatus().wireName());
        body.put("UpdateTime", time(s.updateTime()));
        body.put("Version", s.version());
        List<Map<String, Object>> instances = s.instances().stream().map(FeedEvents::instance).toList();
        body.put("InvokeInstances", instances);
        return StopPlaneJson.mapper().writeValueAsString(body);
    }

    static String ready(String requestId, long heartbeatSeconds) {
        return StopPlaneJson.mapper().writeValueAsString(
                Map.of("RequestId", requestId, "HeartbeatSeconds", heartbeatSeconds));
    }

    private static Map<String, Object> instance(InstanceState i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", i.instanceId().value());
        m.put("InvocationStatus", i.status().wireName());
        return m;
    }

    private static String time(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
