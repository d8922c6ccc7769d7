package io.stopplane.gateway.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * The key algorithms an agent may register with, and the one check of a signature. Ed25519 is what the StopPlane agent
 * generates; RSA (at least 2048 bits, SHA-256) is what Alibaba's agent registers managed instances with.
 */
public final class PublicKeys {

    /** The longest base64 public key accepted: an RSA-4096 SubjectPublicKeyInfo is ~740 characters. */
    public static final int MAX_ENCODED = 1024;
    private static final int MIN_RSA_BITS = 2048;
    private static final Map<String, String> SIGNATURES = Map.of("Ed25519", "Ed25519", "RSA", "SHA256withRSA");

    private PublicKeys() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong: an unknown algorithm, not base64, not a key of that
     *     algorithm, an RSA key too short
     */
    public static PublicKey parse(String algorithm, String base64) {
        if (algorithm == null || !SIGNATURES.containsKey(algorithm)) {
            throw new IllegalArgumentException("keyAlgorithm must be one of " + SIGNATURES.keySet());
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
        PublicKey key;
        try {
            key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("publicKey is not an X.509 SubjectPublicKeyInfo of an " + algorithm
                    + " key");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("an RSA publicKey must have at least " + MIN_RSA_BITS + " bits");
        }
        return key;
    }

    /** Whether {@code signature} (base64) is the key's signature of {@code message}; false for anything malformed. */
    public static boolean verifies(String algorithm, String publicKey, byte[] message, String signature) {
        try {
            Signature verifier = Signature.getInstance(SIGNATURES.get(algorithm));
            verifier.initVerify(parse(algorithm, publicKey));
            verifier.update(message);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
