package io.stopplane.model.registry;

import io.stopplane.model.id.InstanceId;

/** The keys of {@code agent-registry}: a prefix says which kind of record a key holds. */
public final class RegistryKeys {

    public static final String ACTIVATION = "activation/";
    public static final String INSTANCE = "instance/";
    public static final String REGISTRATION = "registration/";

    private RegistryKeys() {
    }

    public static String activation(String activationId) {
        return ACTIVATION + activationId;
    }

    public static String instance(InstanceId instanceId) {
        return INSTANCE + instanceId.value();
    }

    public static String registration(String requestId) {
        return REGISTRATION + requestId;
    }
}
