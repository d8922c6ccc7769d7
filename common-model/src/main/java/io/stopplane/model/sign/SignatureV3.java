package io.stopplane.model.sign;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signature V3 (ACS3-HMAC-SHA256), the default of the current SDKs: a canonical request over the method, path, sorted
 * query, the signed headers and the body's SHA-256.
 * <pre>
 * CanonicalRequest = METHOD \n path \n canonicalQuery \n canonicalHeaders \n signedHeaders \n hexSha256(body)
 * StringToSign     = "ACS3-HMAC-SHA256" \n hexSha256(CanonicalRequest)
 * Signature        = hex(HMAC-SHA256(secret, StringToSign))
 * </pre>
 */
public final class SignatureV3 {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private SignatureV3() {
    }

    /**
     * @param query the decoded query parameters
     * @param headers the request's headers, names lower-case
     * @param signedHeaders the names the client signed, lower-case, as listed in Authorization
     */
    public static String canonicalRequest(String method, String path, Map<String, String> query,
            Map<String, String> headers, List<String> signedHeaders, String bodySha256Hex) {
        return canonicalRequest(method, path, Percent.canonicalQuery(query), headers, signedHeaders, bodySha256Hex);
    }

    /** The same, the query already in the form {@link Percent#canonicalQuery} gives (a client sends that string too). */
    public static String canonicalRequest(String method, String path, String canonicalQuery,
            Map<String, String> headers, List<String> signedHeaders, String bodySha256Hex) {
        List<String> names = signedHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).sorted().toList();
        StringBuilder out = new StringBuilder(512).append(method.toUpperCase(Locale.ROOT)).append('\n')
                .append(path == null || path.isEmpty() ? "/" : path).append('\n').append(canonicalQuery).append('\n');
        for (String name : names) {
            out.append(name).append(':').append(headers.getOrDefault(name, "").trim()).append('\n');
        }
        return out.append('\n').append(String.join(";", names)).append('\n').append(bodySha256Hex).toString();
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + Hashing.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String secret, String stringToSign) {
        return HexFormat.of().formatHex(Hashing.hmac("HmacSHA256", secret, stringToSign));
    }
}
