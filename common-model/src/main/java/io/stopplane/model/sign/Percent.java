package io.stopplane.model.sign;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 3986 percent-encoding as both signature schemes use it: keep {@code A-Za-z0-9-_.~}, upper-case hex elsewhere;
 * and the canonical query both sign.
 */
public final class Percent {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Percent() {
    }

    public static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * {@code name=value} pairs joined by {@code &}, names and values encoded (a null value as empty), sorted by encoded
     * name; as V3 signs the query, V1 its parameters, and a client sends them.
     */
    public static String canonicalQuery(Map<String, String> params) {
        TreeMap<String, String> sorted = new TreeMap<>();
        params.forEach((k, v) -> sorted.put(encode(k), encode(v == null ? "" : v)));
        StringBuilder out = new StringBuilder(256);
        sorted.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(k).append('=').append(v);
        });
        return out.toString();
    }
}
