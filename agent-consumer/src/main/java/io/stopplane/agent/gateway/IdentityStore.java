package io.stopplane.agent.gateway;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code <state-dir>/identity/<instanceId>.json}, mode 0600 in a 0700 directory: instance id, region and the key pair
 * (PKCS#8 and X.509, base64). A file that cannot be read stops the agent rather than being replaced: registering
 * again would use up another of the activation's instances and leave the old one orphaned.
 */
final class IdentityStore {

    private final Path dir;

    IdentityStore(Path dir) {
        this.dir = dir;
    }

    List<Identity> load() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Identity> identities = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                identities.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return identities;
    }

    void save(Identity identity) {
        Stored stored = new Stored(identity.instanceId().value(), identity.regionId().value(), Identity.ALGORITHM,
                Identity.publicKey(identity.keys()),
                Base64.getEncoder().encodeToString(identity.keys().getPrivate().getEncoded()));
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".identity", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, StopPlaneJson.mapper().writeValueAsString(stored));
            Files.move(tmp, dir.resolve(stored.instanceId() + ".json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the identity of " + identity.instanceId() + " in " + dir, e);
        }
    }

    private static Identity read(Path file) {
        try {
            Stored stored = StopPlaneJson.mapper().readValue(Files.readString(file), Stored.class);
            KeyFactory keys = KeyFactory.getInstance(stored.keyAlgorithm());
            KeyPair pair = new KeyPair(
                    keys.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(stored.publicKey()))),
                    keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(stored.privateKey()))));
            return new Identity(InstanceId.of(stored.instanceId()), RegionId.of(stored.regionId()), pair);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the identity in " + file + " (" + e.getClass().getSimpleName()
                    + "); move it away to register this instance again", e);
        }
    }

    /** The file's shape. */
    record Stored(String instanceId, String regionId, String keyAlgorithm, String publicKey, String privateKey) {
    }
}
