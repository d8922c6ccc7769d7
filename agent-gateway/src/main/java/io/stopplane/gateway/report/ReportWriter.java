package io.stopplane.gateway.report;

import io.stopplane.gateway.config.GatewayProperties;
import io.stopplane.gateway.delivery.Pending;
import io.stopplane.gateway.kafka.Publisher;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.Reporter;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * Writes a checked report to {@code invocation-events} as {@link InstanceStatusReported}, keyed by invoke id: its time
 * is the gateway's receive time and {@code reportedBy} says who delivered it. A final status drops the pair's commands,
 * but not one of a schedule's run ({@code run} set): the schedule goes on, its end comes from {@code invocation-state}.
 */
@Component
public class ReportWriter {

    private final Publisher publisher;
    private final Pending pending;
    private final GatewayProperties props;

    ReportWriter(Publisher publisher, Pending pending, GatewayProperties props) {
        this.publisher = publisher;
        this.pending = pending;
        this.props = props;
    }

    /** Completes once the broker acknowledged the event. {@code r} has passed {@link ReportCheck}. */
    public CompletableFuture<Void> write(AgentReport r, String remoteAddress, Instant receivedAt) {
        InvokeId invokeId = InvokeId.of(r.invokeId());
        InstanceId instanceId = InstanceId.of(r.instanceId());
        InstanceStatus status = InstanceStatus.fromWire(r.status());
        InstanceStatusReported event = new InstanceStatusReported(UUID.randomUUID().toString(), invokeId, receivedAt,
                instanceId, status, r.exitCode(), r.errorCode(), r.errorInfo(), r.output(),
                r.dropped() == null ? 0 : r.dropped(), new Reporter(instanceId, props.id(), remoteAddress, receivedAt),
                r.run());
        return publisher.send(Topics.INVOCATION_EVENTS.name(), invokeId.value(), event,
                        CloudEvents.of(event, props.source()))
                .thenRun(() -> {
                    if (status.isTerminal() && r.run() == null) {
                        pending.markFinal(invokeId, instanceId, receivedAt, false);
                    }
                });
    }
}
