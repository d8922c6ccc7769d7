package io.stopplane.gateway.connect;

import io.stopplane.gateway.report.AgentReport;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.json.StopPlaneJson;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The frames of docs/agent-gateway.md: one JSON object per text frame, told apart by {@code type}. */
final class Frames {

    private static final JsonMapper MAPPER = StopPlaneJson.mapper();

    private Frames() {
    }

    // agent → gateway

    record HelloInstance(String instanceId, String signature) {
    }

    record Hello(String agentVersion, String hostname, String killMethod, String bootId,
            List<HelloInstance> instances) {
    }

    /** An inbound frame: a {@link Hello}, a {@link Report}, or garbage. */
    sealed interface Inbound permits InHello, InReport, Garbage {
    }

    record InHello(Hello hello) implements Inbound {
    }

    /** {@code report} null: the frame said report but its fields are not a report's. */
    record InReport(String id, AgentReport report) implements Inbound {
    }

    record Garbage(String why) implements Inbound {
    }

    static Inbound parse(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            return new Garbage("a frame is one JSON object");
        }
        if (node == null || !node.isObject() || !node.path("type").isString()) {
            return new Garbage("a frame is one JSON object with a type");
        }
        String type = node.path("type").asString();
        try {
            return switch (type) {
                case "hello" -> new InHello(MAPPER.treeToValue(node, Hello.class));
                case "report" -> report(node);
                default -> new Garbage("an agent sends only hello and report frames");
            };
        } catch (JacksonException e) {
            return new Garbage("a " + type + " frame's fields are not as the protocol says");
        }
    }

    private static Inbound report(JsonNode node) {
        String id = node.path("id").isString() && node.path("id").asString().length() <= 64
                ? node.path("id").asString() : null;
        try {
            return new InReport(id, MAPPER.treeToValue(node.path("report"), AgentReport.class));
        } catch (JacksonException e) {
            return new InReport(id, null);
        }
    }

    // gateway → agent

    record Challenge(String type, String gatewayId, String nonce) {
        Challenge(String gatewayId, String nonce) {
            this("challenge", gatewayId, nonce);
        }
    }

    record Welcome(String type, List<InstanceId> instances) {
        Welcome(List<InstanceId> instances) {
            this("welcome", instances);
        }
    }

    record Error(String type, String code, String message) {
        Error(String code, String message) {
            this("error", code, message);
        }
    }

    record Commands(String type, List<InstanceCommand> commands) {
        Commands(List<InstanceCommand> commands) {
            this("commands", commands);
        }
    }

    record Ack(String type, String id) {
        Ack(String id) {
            this("ack", id);
        }
    }

    record Refused(String type, String id, String code, String message) {
        Refused(String id, String code, String message) {
            this("refused", id, code, message);
        }
    }

    static String write(Object frame) {
        return MAPPER.writeValueAsString(frame);
    }
}
