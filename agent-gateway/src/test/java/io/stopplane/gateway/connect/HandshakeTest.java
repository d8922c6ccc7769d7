package io.stopplane.gateway.connect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.gateway.identity.PublicKeys;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void everyConnectionHasItsOwnNonceAndASignatureBindsTheGatewayNonceAndInstance() throws Exception {
        Handshake one = new Handshake("gw-1");
        Handshake two = new Handshake("gw-1");
        assertThat(one.challenge().nonce()).isNotEqualTo(two.challenge().nonce());
        assertThat(Base64.getDecoder().decode(one.challenge().nonce())).hasSize(32);

        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String publicKey = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        String nonce = one.challenge().nonce();
        String signature = sign(keys, Handshake.signedMessage("gw-1", nonce, "mi-a"));
        assertThat(new String(Handshake.signedMessage("gw-1", nonce, "mi-a"), UTF_8))
                .isEqualTo("stopplane-agent-v1\ngw-1\n" + nonce + "\nmi-a");

        assertThat(PublicKeys.verifies("Ed25519", publicKey, Handshake.signedMessage("gw-1", nonce, "mi-a"),
                signature)).isTrue();
        assertThat(PublicKeys.verifies("Ed25519", publicKey,
                Handshake.signedMessage("gw-1", two.challenge().nonce(), "mi-a"), signature)).isFalse();
        assertThat(PublicKeys.verifies("Ed25519", publicKey, Handshake.signedMessage("gw-2", nonce, "mi-a"),
                signature)).isFalse();
        assertThat(PublicKeys.verifies("Ed25519", publicKey, Handshake.signedMessage("gw-1", nonce, "mi-b"),
                signature)).isFalse();
        assertThat(PublicKeys.verifies("Ed25519", publicKey, Handshake.signedMessage("gw-1", nonce, "mi-a"),
                "not base64!")).isFalse();
    }

    private static String sign(KeyPair keys, byte[] message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(message);
        return Base64.getEncoder().encodeToString(s.sign());
    }
}
