package io.stopplane.model.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * An agent's key and the protocol's proof of it: an Ed25519 pair the agent generates on its instance (the private key
 * never leaves it), and its signature over one connection's challenge. The agent, the gateway's check and the bench's
 * simulated fleet all build the signed message here, so they cannot drift apart.
 */
public final class AgentKeys {

    public static final String ALGORITHM = "Ed25519";
    /** The first line of every signed message: a signature made for anything else proves nothing here. */
    public static final String CONTEXT = "stopplane-agent-v1";

    private AgentKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate " + ALGORITHM + " keys", e);
        }
    }

    /** The X.509 SubjectPublicKeyInfo, base64: what registration hands the control plane. */
    public static String publicKey(KeyPair keys) {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** What an agent signs to prove {@code instanceId} on a connection: {@code CONTEXT\ngatewayId\nnonce\ninstanceId}. */
    public static byte[] signedMessage(String gatewayId, String nonce, String instanceId) {
        return (CONTEXT + "\n" + gatewayId + "\n" + nonce + "\n" + instanceId).getBytes(StandardCharsets.UTF_8);
    }

    /** The proof for {@code instanceId} on the connection whose challenge was {@code gatewayId} and {@code nonce}, base64. */
    public static String sign(PrivateKey key, String gatewayId, String nonce, String instanceId) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(signedMessage(gatewayId, nonce, instanceId));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the challenge for " + instanceId, e);
        }
    }
}
