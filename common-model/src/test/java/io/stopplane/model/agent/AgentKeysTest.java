package io.stopplane.model.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AgentKeysTest {

    @Test
    void theProofIsAnEd25519SignatureOverTheContextTheChallengeAndTheInstance() throws Exception {
        KeyPair keys = AgentKeys.generate();
        String proof = AgentKeys.sign(keys.getPrivate(), "gw-1", "bm9uY2U=", "mi-abc");

        assertThat(new String(AgentKeys.signedMessage("gw-1", "bm9uY2U=", "mi-abc"), StandardCharsets.UTF_8))
                .isEqualTo("stopplane-agent-v1\ngw-1\nbm9uY2U=\nmi-abc");
        assertThat(verifies(keys, "stopplane-agent-v1\ngw-1\nbm9uY2U=\nmi-abc", proof)).isTrue();
        assertThat(verifies(keys, "stopplane-agent-v1\ngw-2\nbm9uY2U=\nmi-abc", proof)).isFalse();
        assertThat(Base64.getDecoder().decode(AgentKeys.publicKey(keys))).isEqualTo(keys.getPublic().getEncoded());
    }

    private static boolean verifies(KeyPair keys, String message, String proof) throws Exception {
        Signature verifier = Signature.getInstance(AgentKeys.ALGORITHM);
        verifier.initVerify(keys.getPublic());
        verifier.update(message.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(proof));
    }
}
