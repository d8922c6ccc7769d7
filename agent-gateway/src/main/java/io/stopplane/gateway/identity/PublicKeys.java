package io.stopplane.gateway.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The key algorithm an agent registers with, Ed25519 (the only one the registry fold accepts), and the one check of a
 * signature. The gateway parses a key before it writes a registration request, so a malformed one is a 400 and never
 * reaches {@code registry-events}; the fold checks it again, as it checks everything it decides on.
 */
public final class PublicKeys {

    public static final String ED25519 = "Ed25519";
    /** The longest base64 public key accepted; an Ed25519 SubjectPublicKeyInfo is 60 characters. */
    public static final int MAX_ENCODED = 256;

    private PublicKeys() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong: another algorithm, not base64, not an Ed25519 key
     */
    public static PublicKey parse(String algorithm, String base64) {
        if (!ED25519.equals(algorithm)) {
            throw new IllegalArgumentException("keyAlgorithm must be " + ED25519);
        }
        if (base64 == null || base64.isEmpty() || base64.length() > MAX_ENCODED) {
            throw new IllegalArgumentException("publicKey must be 1 to " + MAX_ENCODED + " base64 characters");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("publicKey is not base64");
        }
        try {
            return KeyFactory.getInstance(ED25519).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("publicKey is not an X.509 SubjectPublicKeyInfo of an Ed25519 key");
        }
    }

    /** Whether {@code signature} (base64) is the key's signature of {@code message}; false for anything malformed. */
    public static boolean verifies(String algorithm, String publicKey, byte[] message, String signature) {
        try {
            Signature verifier = Signature.getInstance(ED25519);
            verifier.initVerify(parse(algorithm, publicKey));
            verifier.update(message);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
