package io.stopplane.api.auth;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Signature V3 (ACS3-HMAC-SHA256), the default of the current SDKs: a canonical request over the method, path, sorted
 * query, the signed headers and the body's SHA-256.
 */
final class SignatureV3 {

    static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private SignatureV3() {
    }

    /**
     * @param query the decoded query parameters
     * @param headers the request's headers, names lower-case
     * @param signedHeaders the names the client signed, lower-case, as listed in Authorization
     */
    static String canonicalRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
            List<String> signedHeaders, String bodySha256Hex) {
        TreeMap<String, String> sortedQuery = new TreeMap<>();
        query.forEach((k, v) -> sortedQuery.put(Percent.encode(k), Percent.encode(v == null ? "" : v)));
        String canonicalQuery = sortedQuery.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        StringBuilder canonicalHeaders = new StringBuilder();
        List<String> names = signedHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).sorted().toList();
        for (String name : names) {
            String value = headers.getOrDefault(name, "");
            canonicalHeaders.append(name).append(':').append(value.trim()).append('\n');
        }
        return method.toUpperCase(Locale.ROOT) + "\n" + (path == null || path.isEmpty() ? "/" : path) + "\n"
                + canonicalQuery + "\n" + canonicalHeaders + "\n" + String.join(";", names) + "\n" + bodySha256Hex;
    }

    static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + Hashing.sha256Hex(canonicalRequest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String sign(String secret, String stringToSign) {
        return HexFormat.of().formatHex(Hashing.hmac("HmacSHA256", secret, stringToSign));
    }
}
