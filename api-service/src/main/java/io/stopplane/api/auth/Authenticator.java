package io.stopplane.api.auth;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.ThrottledException;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.sign.Hashing;
import io.stopplane.model.sign.SignatureV1;
import io.stopplane.model.sign.SignatureV3;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Verifies a request's signature, V3 ({@code Authorization: ACS3-HMAC-SHA256 …}) or V1 ({@code Signature=} parameter),
 * against the credential store; rejects stale timestamps and replayed nonces. Errors are the gateway's.
 */
public final class Authenticator {

    static final Duration WINDOW = Duration.ofMinutes(15);

    /**
     * The headers a V3 signature must cover, as Alibaba's gateway requires: unsigned, any of them could be changed in
     * flight (the action, the date that bounds a replay, the nonce, the body) without breaking the signature.
     */
    static final List<String> V3_SIGNED_HEADERS = List.of("host", "x-acs-action", "x-acs-content-sha256",
            "x-acs-date", "x-acs-signature-nonce", "x-acs-version");

    /** Told of every nonce accepted, so that the other replicas refuse it too (see NonceSharing). */
    interface NonceListener {
        void accepted(String key, Instant at);
    }

    private final Supplier<CredentialStore> credentials;
    private final NonceCache nonces;
    private final NonceListener listener;
    private final Clock clock;

    Authenticator(Supplier<CredentialStore> credentials, NonceCache nonces, NonceListener listener, Clock clock) {
        this.credentials = credentials;
        this.nonces = nonces;
        this.listener = listener;
        this.clock = clock;
    }

    public Principal authenticate(SignedRequest request) {
        String authorization = request.headers().get("authorization");
        if (authorization != null && authorization.startsWith(SignatureV3.ALGORITHM)) {
            return v3(request, authorization);
        }
        return v1(request);
    }

    private Principal v3(SignedRequest r, String authorization) {
        Map<String, String> parts = authorizationParts(authorization.substring(SignatureV3.ALGORITHM.length()));
        String keyId = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (keyId == null || signedHeaders == null || signature == null || signedHeaders.isBlank()) {
            throw new ApiException(ApiError.INCOMPLETE_SIGNATURE,
                    "Authorization needs Credential, SignedHeaders and Signature.");
        }
        CredentialStore.Entry entry = key(keyId);
        Instant at = timestamp(r.headers().get("x-acs-date"), "x-acs-date");
        String nonce = required(r.headers().get("x-acs-signature-nonce"), "x-acs-signature-nonce");
        if (r.headers().containsKey("x-acs-security-token")) {
            throw new ApiException(ApiError.SECURITY_TOKEN_UNSUPPORTED);
        }
        List<String> names = Arrays.stream(signedHeaders.split(";")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
        for (String header : V3_SIGNED_HEADERS) {
            if (!names.contains(header) || r.headers().getOrDefault(header, "").isBlank()) {
                throw new ApiException(ApiError.INCOMPLETE_SIGNATURE,
                        "SignedHeaders must include " + String.join(";", V3_SIGNED_HEADERS) + ", each sent.");
            }
        }
        String bodyHash = Hashing.sha256Hex(r.body() == null ? new byte[0] : r.body());
        String canonical = SignatureV3.canonicalRequest(r.method(), r.path(), r.query(), r.headers(), names,
                bodyHash);
        String stringToSign = SignatureV3.stringToSign(canonical);
        // the signature covers x-acs-content-sha256 as sent; the body must be the one it names
        boolean bodyMatches = Hashing.constantTimeEquals(bodyHash,
                r.headers().get("x-acs-content-sha256").trim().toLowerCase(Locale.ROOT));
        if (!bodyMatches || !Hashing.constantTimeEquals(SignatureV3.sign(entry.key().accessKeySecret(), stringToSign),
                signature.toLowerCase(Locale.ROOT))) {
            throw new ApiException(ApiError.SIGNATURE_DOES_NOT_MATCH, stringToSign);
        }
        return accept(entry, nonce, at);
    }

    private Principal v1(SignedRequest r) {
        Map<String, String> p = r.params();
        String signature = p.get("Signature");
        String keyId = p.get("AccessKeyId");
        if (signature == null || signature.isEmpty() || keyId == null || keyId.isEmpty()) {
            throw new ApiException(ApiError.INCOMPLETE_SIGNATURE,
                    "Sign with an AccessKey pair (signature V1 or V3).");
        }
        if (p.get("SecurityToken") != null) {
            throw new ApiException(ApiError.SECURITY_TOKEN_UNSUPPORTED);
        }
        String method = p.get("SignatureMethod");
        if (method != null && !method.equals("HMAC-SHA1")) {
            throw new ApiException(ApiError.INCOMPLETE_SIGNATURE, "SignatureMethod must be HMAC-SHA1.");
        }
        CredentialStore.Entry entry = key(keyId);
        Instant at = timestamp(p.get("Timestamp"), "Timestamp");
        String nonce = required(p.get("SignatureNonce"), "SignatureNonce");
        String stringToSign = SignatureV1.stringToSign(r.method(), p);
        if (!Hashing.constantTimeEquals(SignatureV1.sign(entry.key().accessKeySecret(), stringToSign), signature)) {
            throw new ApiException(ApiError.SIGNATURE_DOES_NOT_MATCH, stringToSign);
        }
        return accept(entry, nonce, at);
    }

    private Principal accept(CredentialStore.Entry entry, String nonce, Instant at) {
        switch (nonces.firstUse(entry.key().accessKeyId(), nonce, at, clock.instant())) {
            case REPLAY -> throw new ApiException(ApiError.SIGNATURE_NONCE_USED);
            case FULL -> throw new ThrottledException(ApiError.THROTTLING, 1000);
            case FIRST -> listener.accepted(NonceCache.key(entry.key().accessKeyId(), nonce), at);
        }
        AccessKey key = entry.key();
        return new Principal(entry.accountId(), key.accessKeyId(), key::permits);
    }

    private CredentialStore.Entry key(String keyId) {
        CredentialStore.Entry entry = credentials.get().find(keyId)
                .orElseThrow(() -> new ApiException(ApiError.INVALID_ACCESS_KEY_NOT_FOUND));
        if (!entry.key().enabled()) {
            throw new ApiException(ApiError.INVALID_ACCESS_KEY_INACTIVE);
        }
        return entry;
    }

    private Instant timestamp(String raw, String name) {
        if (raw == null || raw.isEmpty()) {
            throw new ApiException(ApiError.MISSING_PARAMETER, name);
        }
        Instant at;
        try {
            at = Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw new ApiException(ApiError.INVALID_TIMESTAMP_FORMAT);
        }
        if (Duration.between(at, clock.instant()).abs().compareTo(WINDOW) > 0) {
            throw new ApiException(ApiError.INVALID_TIMESTAMP_EXPIRED);
        }
        return at;
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new ApiException(ApiError.MISSING_PARAMETER, name);
        }
        return value;
    }

    private static Map<String, String> authorizationParts(String rest) {
        Map<String, String> parts = new HashMap<>();
        for (String item : rest.trim().split(",")) {
            int eq = item.indexOf('=');
            if (eq > 0) {
                parts.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
            }
        }
        return parts;
    }
}
