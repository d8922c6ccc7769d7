package io.stopplane.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PublicKeysTest {

    @Test
    void acceptsAnEd25519SubjectPublicKeyInfo() throws Exception {
        assertThat(PublicKeys.parse("Ed25519", encoded("Ed25519")).getAlgorithm()).isIn("Ed25519", "EdDSA");
    }

    @Test
    void refusesWhatIsNotAnEd25519Key() throws Exception {
        assertThatThrownBy(() -> PublicKeys.parse("RSA", encoded("RSA"))).hasMessageContaining("keyAlgorithm");
        assertThatThrownBy(() -> PublicKeys.parse(null, encoded("Ed25519"))).hasMessageContaining("keyAlgorithm");
        assertThatThrownBy(() -> PublicKeys.parse("Ed25519", "%%%")).hasMessageContaining("base64");
        assertThatThrownBy(() -> PublicKeys.parse("Ed25519", "AAAA")).hasMessageContaining("SubjectPublicKeyInfo");
        assertThatThrownBy(() -> PublicKeys.parse("Ed25519", encoded("X25519")))
                .hasMessageContaining("SubjectPublicKeyInfo");
        assertThatThrownBy(() -> PublicKeys.parse("Ed25519", "A".repeat(PublicKeys.MAX_ENCODED + 4)))
                .hasMessageContaining("base64 characters");
    }

    private static String encoded(String algorithm) throws Exception {
        return Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPublic().getEncoded());
    }
}
