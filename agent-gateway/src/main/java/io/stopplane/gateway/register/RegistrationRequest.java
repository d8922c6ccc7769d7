package io.stopplane.gateway.register;

import io.stopplane.gateway.identity.ClaimBounds;
import io.stopplane.gateway.identity.PublicKeys;
import java.util.regex.Pattern;

/** {@code POST /agent/v1/register}'s body, as an agent sent it: every field is checked before anything is written. */
record RegistrationRequest(String activationId, String activationCode, String publicKey, String keyAlgorithm,
        String hostname, String osType, String agentVersion) {

    private static final Pattern ACTIVATION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** @throws IllegalArgumentException naming the first field that is wrong (never echoing the activation code) */
    void validate() {
        if (activationId == null || !ACTIVATION_ID.matcher(activationId).matches()) {
            throw new IllegalArgumentException("activationId must be 1 to 64 letters, digits or dashes");
        }
        if (activationCode == null || activationCode.isEmpty() || activationCode.length() > 256) {
            throw new IllegalArgumentException("activationCode must be 1 to 256 characters");
        }
        PublicKeys.parse(keyAlgorithm, publicKey);
        ClaimBounds.check("hostname", hostname, ClaimBounds.HOSTNAME);
        ClaimBounds.check("osType", osType, ClaimBounds.OS_TYPE);
        ClaimBounds.check("agentVersion", agentVersion, ClaimBounds.AGENT_VERSION);
    }
}
