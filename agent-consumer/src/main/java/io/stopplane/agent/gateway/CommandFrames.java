package io.stopplane.agent.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.agent.HostedInstances;
import io.stopplane.agent.intake.CommandIntake;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.json.StopPlaneJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Turns {@code commands} frames into batches for the intake, in the order they came. A command that cannot be read, or
 * that names an instance this agent does not host, is left out, logged (its ids, never its content) and counted; the
 * rest of the batch goes on.
 */
@Component
class CommandFrames implements GatewayLink.Party {

    private static final Logger log = LoggerFactory.getLogger(CommandFrames.class);

    private final CommandIntake intake;
    private final Set<InstanceId> hosted;
    private final ObjectReader reader = StopPlaneJson.mapper().readerFor(InstanceCommand.class);
    private final Counter unreadable;

    CommandFrames(GatewayLink link, CommandIntake intake, HostedInstances hosted, MeterRegistry meters) {
        this.intake = intake;
        this.hosted = Set.copyOf(hosted.ids());
        this.unreadable = Counter.builder("stopplane.agent.commands.refused")
                .description("Commands from the gateway left out: unreadable or not for a hosted instance")
                .register(meters);
        link.join(this);
    }

    @Override
    public void frame(String type, JsonNode frame) {
        if (!"commands".equals(type)) {
            return;
        }
        List<InstanceCommand> batch = new ArrayList<>();
        for (JsonNode node : frame.path("commands")) {
            InstanceCommand command = read(node);
            if (command != null) {
                batch.add(command);
            }
        }
        if (!batch.isEmpty()) {
            intake.accept(batch);
        }
    }

    private InstanceCommand read(JsonNode node) {
        InstanceCommand command;
        try {
            command = reader.readValue(node);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            unreadable.increment();
            log.warn("Leaving out an unreadable command (invokeId={}, instanceId={}): {}",
                    node.path("invokeId").asString(""), node.path("instanceId").asString(""),
                    e.getClass().getSimpleName());
            return null;
        }
        if (command == null || !hosted.contains(command.instanceId())) {
            unreadable.increment();
            log.warn("Leaving out a command for an instance this agent does not host: {}",
                    command == null ? null : command.instanceId());
            return null;
        }
        return command;
    }
}
