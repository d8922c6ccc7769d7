package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What "the same parameters" means for ClientToken idempotency: a SHA-256 over the request's own parameters, sorted by
 * name, leaving out what the transport, the signature and the token itself add. Two requests built by any client from
 * the same values digest alike (an empty value counts as absent); any changed value, added or removed parameter does
 * not.
 */
final class ParametersDigest {

    private static final Set<String> NOT_PARAMETERS = Set.of("Action", "Version", "Format", "AccessKeyId",
            "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "SignatureType", "Timestamp",
            "SecurityToken", "ClientToken", "OwnerId", "OwnerAccount", "ResourceOwnerId", "ResourceOwnerAccount");

    private ParametersDigest() {
    }

    static String of(RpcRequest request) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, String> e : new TreeMap<>(request.params()).entrySet()) {
            if (NOT_PARAMETERS.contains(e.getKey()) || e.getValue() == null || e.getValue().isEmpty()) {
                continue; // an empty value is the parameter's absence, as everywhere else in the API
            }
            // Length-prefixed, so that no two different parameter sets serialise to the same bytes.
            update(sha256, e.getKey());
            update(sha256, e.getValue());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }
}
