package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.library.CommandTemplate;
import io.stopplane.model.library.InvalidTemplateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code Parameters} of RunCommand and InvokeCommand: a JSON object of the custom parameters' values, as the SDKs send
 * it (a map serialised to one query parameter). A value is a string; a number or a boolean is taken as its text (the
 * SDKs' maps are {@code Map<String, ?>}); anything else is refused, as is every value without {@code EnableParameter}
 * on the command, and every mismatch with the command's parameters ({@link CommandTemplate#check}). Messages name
 * parameters, never their values.
 */
final class ParameterValues {

    private ParameterValues() {
    }

    /** The values given; empty when {@code Parameters} is absent, blank or {@code {}}. */
    static Map<String, String> read(RpcRequest request) {
        Optional<String> raw = request.optional("Parameters").filter(p -> !p.isBlank());
        if (raw.isEmpty()) {
            return Map.of();
        }
        JsonNode tree;
        try {
            tree = StopPlaneJson.mapper().readTree(raw.get());
        } catch (JacksonException e) {
            throw RpcRequest.invalid("Parameters", "It must be a JSON object of parameter names and values.");
        }
        if (tree == null || !tree.isObject()) {
            throw RpcRequest.invalid("Parameters", "It must be a JSON object of parameter names and values.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            JsonNode v = e.getValue();
            if (!v.isString() && !v.isNumber() && !v.isBoolean()) {
                throw RpcRequest.invalid("Parameters", "The value of " + e.getKey()
                        + " must be a string, a number or a boolean.");
            }
            values.put(e.getKey(), v.asString());
        }
        return values;
    }

    /**
     * The values to record and resolve with: null when the command takes no parameters ({@code EnableParameter} off),
     * where any value given is refused; else the values, checked against the command's parameter names.
     */
    static Map<String, String> forCommand(boolean enableParameter, List<String> names, Map<String, String> given) {
        if (!enableParameter) {
            if (!given.isEmpty()) {
                throw RpcRequest.invalid("Parameters", "The command does not take parameters (EnableParameter is "
                        + "not true).");
            }
            return null;
        }
        try {
            CommandTemplate.check(names, given);
        } catch (InvalidTemplateException e) {
            throw invalid(e);
        }
        return given;
    }

    /** The custom parameters of a command's content; its content refused as Alibaba's InvalidParameter if bad. */
    static List<String> names(String content) {
        try {
            return CommandTemplate.parameterNames(content);
        } catch (InvalidTemplateException e) {
            throw invalid(e);
        }
    }

    private static ApiException invalid(InvalidTemplateException e) {
        return RpcRequest.invalid(e.parameter(), e.getMessage());
    }
}
