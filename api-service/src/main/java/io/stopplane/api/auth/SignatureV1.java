package io.stopplane.api.auth;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Signature V1 (HMAC-SHA1), as {@code @alicloud/pop-core}, {@code aliyun-java-sdk-core} and the {@code aliyun} CLI sign:
 * every parameter but {@code Signature}, empty values included, percent-encoded and sorted by encoded name.
 */
final class SignatureV1 {

    private SignatureV1() {
    }

    static String stringToSign(String method, Map<String, String> params) {
        TreeMap<String, String> sorted = new TreeMap<>();
        params.forEach((k, v) -> {
            if (!"Signature".equals(k)) {
                sorted.put(Percent.encode(k), Percent.encode(v == null ? "" : v));
            }
        });
        String canonical = sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return method.toUpperCase(java.util.Locale.ROOT) + "&" + Percent.encode("/") + "&" + Percent.encode(canonical);
    }

    static String sign(String secret, String stringToSign) {
        return Base64.getEncoder().encodeToString(Hashing.hmac("HmacSHA1", secret + "&", stringToSign));
    }
}
