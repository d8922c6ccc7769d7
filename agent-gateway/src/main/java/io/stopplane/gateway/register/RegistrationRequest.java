package io.stopplane.gateway.register;

import io.stopplane.gateway.identity.PublicKeys;
import java.util.regex.Pattern;

/** {@code POST /agent/v1/register}'s body, as an agent sent it: every field is checked before anything is written. */
record RegistrationRequest(String activationId, String activationCode, String publicKey, String keyAlgorithm,
        String hostname, String osType, String agentVersion) {

    private static final Pattern ACTIVATION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]*");

    /** @throws IllegalArgumentException naming the first field that is wrong (never echoing the activation code) */
    void validate() {
        if (activationId == null || !ACTIVATION_ID.matcher(activationId).matches()) {
            throw new IllegalArgumentException("activationId must be 1 to 64 letters, digits or dashes");
        }
        if (activationCode == null || activationCode.isEmpty() || activationCode.length() > 256) {
            throw new IllegalArgumentException("activationCode must be 1 to 256 characters");
        }
        PublicKeys.parse(keyAlgorithm, publicKey);
        printable("hostname", hostname, 255);
        printable("osType", osType, 32);
        printable("agentVersion", agentVersion, 64);
    }

    private static void printable(String name, String value, int max) {
        if (value != null && (value.length() > max || !PRINTABLE.matcher(value).matches())) {
            throw new IllegalArgumentException(name + " must be at most " + max + " printable ASCII characters");
        }
    }
}
