package io.stopplane.model.sign;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Signature V1 (HMAC-SHA1), as {@code @alicloud/pop-core}, {@code aliyun-java-sdk-core} and the {@code aliyun} CLI sign:
 * every parameter but {@code Signature}, empty values included, percent-encoded and sorted by encoded name.
 */
public final class SignatureV1 {

    private SignatureV1() {
    }

    public static String stringToSign(String method, Map<String, String> params) {
        Map<String, String> signed = new HashMap<>(params);
        signed.remove("Signature");
        return method.toUpperCase(java.util.Locale.ROOT) + "&" + Percent.encode("/") + "&"
                + Percent.encode(Percent.canonicalQuery(signed));
    }

    public static String sign(String secret, String stringToSign) {
        return Base64.getEncoder().encodeToString(Hashing.hmac("HmacSHA1", secret + "&", stringToSign));
    }
}
