package io.stopplane.gateway.connect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.gateway.identity.PublicKeys;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
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

    @Test
    void aBootIdThatIsNotOneRefusesTheHelloBeforeAnyInstanceIsLookedAt() {
        Handshake h = new Handshake("gw-1");
        for (String bad : new String[] {"", "0F5E2C1A-9B7D-4E3F-8A6B-5C4D3E2F1A0B", "0f5e2c1a-9b7d-4e3f-8a6b-5c4d3e2f1a0",
                "0f5e2c1a-9b7d-4e3f-8a6b-5c4d3e2f1a0b\n", "0f5e2c1a9b7d4e3f8a6b5c4d3e2f1a0b0000", "x".repeat(10_000)}) {
            Handshake.Verdict v = h.check(new Frames.Hello("1", "host", "cgroup", bad,
                    List.of(new Frames.HelloInstance("mi-a", "sig"))), null, 10);
            assertThat(v.accepted()).as(bad).isFalse();
            assertThat(v.code()).isEqualTo("Hello.Invalid");
            assertThat(v.message()).contains("bootId");
        }
    }

    private static String sign(KeyPair keys, byte[] message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(message);
        return Base64.getEncoder().encodeToString(s.sign());
    }
}
