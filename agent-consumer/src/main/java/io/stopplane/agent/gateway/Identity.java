package io.stopplane.agent.gateway;

import io.stopplane.model.agent.AgentKeys;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.security.KeyPair;

/**
 * One hosted instance's identity: the id registration assigned and the key pair the agent generated for it. The
 * private key never leaves the instance; a connection proves it by signing the gateway's challenge.
 */
record Identity(InstanceId instanceId, RegionId regionId, KeyPair keys) {

    static final String ALGORITHM = AgentKeys.ALGORITHM;

    static KeyPair generateKeys() {
        return AgentKeys.generate();
    }

    /** The X.509 SubjectPublicKeyInfo, base64: what registration hands the control plane. */
    static String publicKey(KeyPair keys) {
        return AgentKeys.publicKey(keys);
    }

    /** The protocol's signature over this connection's challenge ({@link AgentKeys#signedMessage}), base64. */
    String sign(String gatewayId, String nonce) {
        return AgentKeys.sign(keys.getPrivate(), gatewayId, nonce, instanceId.value());
    }
}
