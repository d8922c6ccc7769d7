package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.eventlog.InvocationEventLog;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * DescribeInvocationTimeline (ours; Alibaba has none): one invocation's audit trail from {@code invocation-events} — who
 * ran it and who stopped it (account, AccessKeyId, source IP, client, request), and what the agents and timers
 * reported, in log order. Checked like StopInvocation: region, permission, then the invocation must be the caller's.
 */
@Component
class DescribeInvocationTimelineAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final InvocationView view;
    private final InvocationEventLog log;

    DescribeInvocationTimelineAction(Regions regions, ActionAuthorizer authorizer, InvocationView view,
            InvocationEventLog log) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.view = view;
        this.log = log;
    }

    @Override
    public String action() {
        return "DescribeInvocationTimeline";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        InvokeId invokeId = Lookup.invokeId(request);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        InvocationState state = Lookup.invocation(view, invokeId, region, caller);
        InvocationEventLog.Result result = log.read(state.invokeId(),
                state.creationTime() == null ? Instant.EPOCH : state.creationTime());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("InvokeId", state.invokeId().value());
        body.put("Truncated", result.truncated());
        body.put("Events", Map.of("Event", result.events().stream().map(DescribeInvocationTimelineAction::entry)
                .toList()));
        return body;
    }

    private static Map<String, Object> entry(InvocationEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("EventId", e.eventId());
        m.put("Time", InvocationRenderer.time(e.occurredAt()));
        if (e instanceof InvocationCreated c) {
            m.put("Type", "InvocationCreated");
            m.put("InstanceIds", ids(c.instanceIds()));
            m.put("Caller", caller(c.caller()));
        } else if (e instanceof StopRequested s) {
            m.put("Type", "StopRequested");
            m.put("InstanceIds", ids(s.instanceIds()));
            m.put("Caller", caller(s.caller()));
        } else if (e instanceof InstanceStatusReported r) {
            m.put("Type", "InstanceStatusReported");
            m.put("InstanceIds", ids(List.of(r.instanceId())));
            m.put("InvocationStatus", r.status().wireName());
            m.put("ExitCode", r.exitCode());
            m.put("ErrorCode", r.errorCode());
        } else if (e instanceof InvocationModified mod) {
            m.put("Type", "InvocationModified");
            m.put("InstanceIds", ids(mod.addedInstanceIds()));
            m.put("Caller", caller(mod.caller()));
        } else if (e instanceof TimeoutDetected t) {
            m.put("Type", "TimeoutDetected");
            m.put("InstanceIds", ids(List.of(t.instanceId())));
            m.put("ErrorCode", t.errorCode());
        }
        return m;
    }

    private static Map<String, Object> ids(List<InstanceId> ids) {
        return Map.of("InstanceId", ids.stream().map(InstanceId::value).toList());
    }

    private static Map<String, Object> caller(Caller c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c == null) {
            return m;
        }
        m.put("AccountId", c.accountId());
        m.put("AccessKeyId", c.accessKeyId());
        m.put("SourceIp", c.sourceIp());
        m.put("UserAgent", c.userAgent());
        m.put("RequestId", c.requestId());
        return m;
    }
}
