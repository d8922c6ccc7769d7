package io.stopplane.api.rpc;

import io.stopplane.model.error.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An RPC request as it arrived: the raw body (read once, de-chunked by the container), the query and form parameters
 * decoded strictly, and the headers. The signatures need exactly these; bad encodings are a clear 400, never a 500.
 *
 * @param query the query parameters alone (V3 signs them)
 * @param params query and form parameters merged (V1 signs them; the actions read them)
 * @param headers lower-case names
 */
public record RawRequest(String method, String path, Map<String, String> query, Map<String, String> params,
        Map<String, String> headers, byte[] body) {

    static final int MAX_BODY_BYTES = 1024 * 1024;

    public static RawRequest read(HttpServletRequest http) {
        byte[] body = body(http);
        Map<String, String> query = decode(http.getQueryString(), "query string");
        Map<String, String> params = new LinkedHashMap<>(query);
        String contentType = http.getContentType();
        if (body.length > 0 && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> form = decode(utf8(body, "body"), "body");
            for (Map.Entry<String, String> e : form.entrySet()) {
                if (params.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw duplicate(e.getKey());
                }
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), http.getHeader(name));
        }
        return new RawRequest(http.getMethod(), http.getRequestURI(), Map.copyOf(query), Map.copyOf(params),
                Map.copyOf(headers), body);
    }

    private static byte[] body(HttpServletRequest http) {
        try (InputStream in = http.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw RpcRequest.invalid("Body", "The request body exceeds 1 MB.");
            }
            return body;
        } catch (IOException e) {
            throw RpcRequest.invalid("Body", "The request body could not be read.");
        }
    }

    /** Decodes {@code a=1&b=2}; a parameter given twice, a broken %-escape or bytes that are not UTF-8 are refused. */
    static Map<String, String> decode(String raw, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = unescape(eq < 0 ? pair : pair.substring(0, eq), where);
            String value = eq < 0 ? "" : unescape(pair.substring(eq + 1), where);
            if (out.putIfAbsent(name, value) != null) {
                throw duplicate(name);
            }
        }
        return out;
    }

    private static String unescape(String s, String where) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.put((byte) ' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw RpcRequest.invalid(where, "It has a malformed percent-encoding.");
                }
                bytes.put((byte) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] decoded = new byte[bytes.position()];
        bytes.flip().get(decoded);
        return utf8(decoded, where);
    }

    private static String utf8(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw RpcRequest.invalid(where, "It is not UTF-8.");
        }
    }

    private static ApiException duplicate(String name) {
        return new ApiException(ApiError.INVALID_PARAMETER, name, "It is given more than once.");
    }
}
