package io.stopplane.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PublicKeysTest {

    @Test
    void acceptsEd25519AndRsaOf2048BitsAndMore() throws Exception {
        assertThat(PublicKeys.parse("Ed25519", encoded("Ed25519", 0))).isNotNull();
        assertThat(PublicKeys.parse("RSA", encoded("RSA", 2048))).isNotNull();
    }

    @Test
    void refusesWhatIsNotAKeyOfTheNamedAlgorithm() throws Exception {
        assertThatThrownBy(() -> PublicKeys.parse("DSA", encoded("Ed25519", 0))).hasMessageContaining("keyAlgorithm");
        assertThatThrownBy(() -> PublicKeys.parse("Ed25519", "%%%")).hasMessageContaining("base64");
        assertThatThrownBy(() -> PublicKeys.parse("Ed25519", "AAAA")).hasMessageContaining("SubjectPublicKeyInfo");
        assertThatThrownBy(() -> PublicKeys.parse("RSA", encoded("Ed25519", 0)))
                .hasMessageContaining("SubjectPublicKeyInfo");
        assertThatThrownBy(() -> PublicKeys.parse("RSA", encoded("RSA", 1024))).hasMessageContaining("2048");
        assertThatThrownBy(() -> PublicKeys.parse("Ed25519", "A".repeat(PublicKeys.MAX_ENCODED + 4)))
                .hasMessageContaining("base64 characters");
    }

    private static String encoded(String algorithm, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (bits > 0) {
            g.initialize(bits);
        }
        return Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
    }
}
