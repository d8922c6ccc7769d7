package io.stopplane.agent.gateway;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * One hosted instance's identity: the id registration assigned and the key pair the agent generated for it. The
 * private key never leaves the instance; a connection proves it by signing the gateway's challenge.
 */
record Identity(InstanceId instanceId, RegionId regionId, KeyPair keys) {

    static final String ALGORITHM = "Ed25519";

    static KeyPair generateKeys() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate " + ALGORITHM + " keys", e);
        }
    }

    /** The X.509 SubjectPublicKeyInfo, base64: what registration hands the control plane. */
    static String publicKey(KeyPair keys) {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** The protocol's signature: over {@code stopplane-agent-v1\n<gatewayId>\n<nonce>\n<instanceId>}, base64. */
    String sign(String gatewayId, String nonce) {
        String signed = "stopplane-agent-v1\n" + gatewayId + "\n" + nonce + "\n" + instanceId.value();
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(keys.getPrivate());
            signature.update(signed.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the challenge for " + instanceId, e);
        }
    }
}
