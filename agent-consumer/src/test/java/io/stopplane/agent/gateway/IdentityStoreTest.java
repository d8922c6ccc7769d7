package io.stopplane.agent.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {

    @TempDir
    Path stateDir;

    @Test
    void anIdentityIsKeptOnlyForTheAgentAndReadBackWithTheSameKeys() throws Exception {
        IdentityStore store = new IdentityStore(stateDir.resolve("identity"));
        Identity saved = new Identity(InstanceId.of("mi-abc"), RegionId.of("cn-hangzhou"), Identity.generateKeys());
        store.save(saved);

        Path file = stateDir.resolve("identity").resolve("mi-abc.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        Identity loaded = store.load().get(0);
        assertThat(loaded.instanceId()).isEqualTo(saved.instanceId());
        assertThat(loaded.keys().getPrivate().getEncoded()).isEqualTo(saved.keys().getPrivate().getEncoded());
        assertThat(Identity.publicKey(loaded.keys())).isEqualTo(Identity.publicKey(saved.keys()));
    }

    @Test
    void theSignatureIsOverTheProtocolsStringAndVerifiesWithTheRegisteredPublicKey() throws Exception {
        Identity identity = new Identity(InstanceId.of("mi-abc"), RegionId.of("cn-hangzhou"), Identity.generateKeys());
        String signature = identity.sign("gw-1", "bm9uY2U=");

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(identity.keys().getPublic());
        verifier.update("stopplane-agent-v1\ngw-1\nbm9uY2U=\nmi-abc".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(signature))).isTrue();
        verifier.initVerify(identity.keys().getPublic());
        verifier.update("stopplane-agent-v1\ngw-2\nbm9uY2U=\nmi-abc".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(signature))).as("another gateway's challenge").isFalse();
    }

    @Test
    void anUnreadableIdentityStopsTheAgentRatherThanBeingReplaced() throws Exception {
        Path dir = Files.createDirectories(stateDir.resolve("identity"));
        Files.writeString(dir.resolve("mi-broken.json"), "{not json");

        assertThatThrownBy(() -> new IdentityStore(dir).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mi-broken.json").hasMessageContaining("move it away");
    }

    @Test
    void noIdentityAndNoActivationIsAClearError() {
        assertThatThrownBy(() -> Identities.establish(new IdentityStore(stateDir.resolve("identity")), 1,
                java.util.Optional.empty(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STOPPLANE_AGENT_ACTIVATION_ID");
    }
}
