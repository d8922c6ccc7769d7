package io.stopplane.gateway.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/** What an agent keeps for one instance: its key pair (generated here, as on the instance) and, once registered, its id. */
public final class TestIdentity {

    private final KeyPair keys;
    private volatile String instanceId;

    private TestIdentity(KeyPair keys) {
        this.keys = keys;
    }

    public static TestIdentity generate() {
        try {
            return new TestIdentity(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String publicKey() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    public String instanceId() {
        return instanceId;
    }

    void registeredAs(String id) {
        this.instanceId = id;
    }

    /** The hello signature: over {@code stopplane-agent-v1\n<gatewayId>\n<nonce>\n<instanceId>}. */
    public String sign(String gatewayId, String nonce) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(("stopplane-agent-v1\n" + gatewayId + "\n" + nonce + "\n" + instanceId).getBytes(UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
