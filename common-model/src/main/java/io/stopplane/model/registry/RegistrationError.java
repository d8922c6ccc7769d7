package io.stopplane.model.registry;

/**
 * Why the registry fold refused a {@link RegistrationRequested}: the {@code errorCode} and {@code errorMessage} of its
 * {@link RegistrationOutcome}, which the gateway hands the agent as they are. Checked in this order, so an agent learns
 * nothing about an activation from a code it does not hold beyond that the activation does not take it.
 */
public enum RegistrationError {
    /** No such activation, or it was deleted. */
    NOT_FOUND("InvalidActivation.NotFound", "The specified activation does not exist."),
    /** The code's SHA-256 is not the activation's. */
    WRONG_CODE("InvalidActivationCode", "The activation code does not match the activation."),
    DISABLED("Activation.Disabled", "The activation is disabled."),
    EXPIRED("Activation.Expired", "The activation has expired."),
    /** The address the gateway saw is outside the activation's IpAddressRange. */
    IP_NOT_ALLOWED("Activation.IpNotAllowed", "The activation cannot be used from this address."),
    /** RegisteredCount has reached InstanceCount. */
    COUNT_EXCEEDED("Activation.InstanceCountExceeded",
            "The activation has been used for as many instances as it allows."),
    /** The instance id the gateway proposed is already registered: the gateway retries with a new one. */
    INSTANCE_ID_TAKEN("InstanceId.Duplicate", "The proposed instance id is already registered."),
    /** Not an X.509 SubjectPublicKeyInfo of the key algorithm named (Ed25519). */
    INVALID_PUBLIC_KEY("InvalidPublicKey", "The public key is not a valid Ed25519 public key.");

    private final String code;
    private final String message;

    RegistrationError(String code, String message) {
        this.code = code;
        this.message = message;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }
}
