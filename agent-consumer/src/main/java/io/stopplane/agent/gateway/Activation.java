package io.stopplane.agent.gateway;

import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** An activation to register with: from the settings, or from a file holding {@code CreateActivation}'s answer. */
record Activation(String id, String code) {

    static Optional<Activation> of(GatewayProperties props) {
        if (present(props.activationId()) && present(props.activationCode())) {
            return Optional.of(new Activation(props.activationId().trim(), props.activationCode().trim()));
        }
        if (props.activationFile() == null || !Files.isRegularFile(props.activationFile())) {
            return Optional.empty();
        }
        try {
            JsonNode json = StopPlaneJson.mapper().readTree(Files.readString(props.activationFile()));
            String id = json.path("ActivationId").asString("");
            String code = json.path("ActivationCode").asString("");
            if (!present(id) || !present(code)) {
                throw new IllegalStateException(props.activationFile() + " has no ActivationId and ActivationCode");
            }
            return Optional.of(new Activation(id, code));
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("Cannot read the activation in " + props.activationFile() + ": " + e);
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** Never the code: it is a secret until it is used up. */
    @Override
    public String toString() {
        return "Activation[" + id + "]";
    }
}
