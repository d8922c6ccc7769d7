package io.stopplane.api.support;

import io.stopplane.model.json.StopPlaneJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzed requests written as raw bytes on a socket, never through a URI class: random methods (bad ones too),
 * parameters, encodings (broken ones, and bytes a request line may not carry: {@code | { } ^ < > " `}, a stray
 * {@code %}, bytes above 0x7F), header bytes (obs-text, lines without a colon, oversize headers), HTTP versions and
 * bodies. What Tomcat refuses before the application sees it is in reach too. A marker goes into every
 * {@code CommandContent} and into some request lines, so that a log scan can tell whether any of it was logged.
 */
public final class RawFuzz {

    private static final String[] ACTIONS = {"StopInvocation", "RunCommand", "DescribeInvocations",
        "DescribeInvocationResults", "DescribeRegions", "DescribeCloudAssistantStatus", "Nope", "", "stopinvocation"};
    private static final String[] KEYS = {"Action", "RegionId", "InvokeId", "InstanceId.1", "InstanceId.2",
        "InstanceId.51", "InstanceId.0", "InstanceId.x", "Type", "CommandContent", "ContentEncoding", "Timeout",
        "Format", "MaxResults", "NextToken", "PageNumber", "PageSize", "ClientToken", "RepeatMode", "TerminationMode",
        "Version", "IncludeOutput", "Username", "WorkingDir", "Name", "*", "ü", "Signature", "AccessKeyId",
        "SignatureNonce", "Timestamp"};
    /** Bytes no client may put in a request target unescaped (RFC 3986), which Tomcat refuses. */
    private static final String[] RAW = {"|", "{", "}", "^", "<", ">", "\"", "`", "\\", "%", "%4", "%%", "[", "]",
        "\u00e9", "\u0001", "\u007f"};
    private static final String[] BAD_METHODS = {"G@T", "GET;", "{GET}", "DELETE", "TRACE", "CONNECT", "OPTIONS",
        "M".repeat(300), "GE\u0000T"};

    private final int port;
    private final String marker;
    private final InetAddress source;

    public RawFuzz(int port, String marker) {
        this(port, marker, InetAddress.getLoopbackAddress());
    }

    /** @param source the local address to send from: another loopback address is another client to the API */
    public RawFuzz(int port, String marker, InetAddress source) {
        this.port = port;
        this.marker = marker;
        this.source = source;
    }

    /** What was sent, and what came back. */
    public record Exchange(byte[] request, Response response) {
        public String describe() {
            return new String(request, StandardCharsets.ISO_8859_1).substring(0, Math.min(600, request.length))
                    + "\nresponse: " + response;
        }
    }

    public record Response(int status, String head, String body) {
        @Override
        public String toString() {
            return status + " " + body.substring(0, Math.min(300, body.length()));
        }
    }

    public Exchange next(Random random) throws IOException {
        byte[] request = request(random);
        return new Exchange(request, send(request));
    }

    /**
     * Null when the answer is acceptable: no 5xx, every error in the Alibaba shape, no success with a Code.
     */
    public static String problem(Response r) {
        if (r.status >= 500) {
            return "a " + r.status;
        }
        if (r.status >= 400) {
            String body = r.body.trim();
            if (body.startsWith("<")) {
                for (String tag : List.of("RequestId", "HostId", "Code", "Message", "Recommend")) {
                    if (!body.contains("<" + tag + ">")) {
                        return "XML error without " + tag;
                    }
                }
                return null;
            }
            try {
                JsonNode json = StopPlaneJson.mapper().readTree(body);
                for (String field : List.of("RequestId", "HostId", "Code", "Message", "Recommend")) {
                    if (!json.has(field)) {
                        return "error without " + field;
                    }
                }
            } catch (RuntimeException e) {
                return "an error body that is not JSON";
            }
        } else if (r.status == 200 && r.body.trim().startsWith("{") && r.body.contains("\"Code\"")) {
            return "a success body with a Code";
        } else if (r.status < 200) {
            return "a " + r.status;
        }
        return null;
    }

    private byte[] request(Random random) {
        String[] methods = {"GET", "GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH"};
        String method = random.nextInt(12) == 0 ? BAD_METHODS[random.nextInt(BAD_METHODS.length)]
                : methods[random.nextInt(methods.length)];
        StringBuilder query = new StringBuilder();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                query.append('&');
            }
            String key = KEYS[random.nextInt(KEYS.length)];
            String value = switch (key) {
                case "Action" -> ACTIONS[random.nextInt(ACTIONS.length)];
                case "CommandContent" -> marker + value(random);
                default -> value(random);
            };
            query.append(encode(key, random)).append('=').append(encode(value, random));
        }
        if (random.nextInt(5) == 0) {
            query.append("&CommandContent=").append(marker).append(RAW[random.nextInt(RAW.length)]);
        }
        String path = random.nextInt(20) == 0 ? "/other" : "/";
        String target = query.length() == 0 ? path : path + "?" + query;
        String version = random.nextInt(25) == 0 ? (random.nextBoolean() ? "HTTP/2.0" : "HTTP/9.9") : "HTTP/1.1";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method + " " + target + " " + version + "\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
        if (random.nextInt(4) == 0) {
            write(out, "x-acs-action: " + ACTIONS[random.nextInt(ACTIONS.length)] + "\r\n");
        }
        if (random.nextInt(3) == 0) {
            write(out, "X-Fuzz: ");
            for (int i = 0; i < 1 + random.nextInt(20); i++) {
                out.write(0x80 + random.nextInt(0x80)); // obs-text: bytes that are not ASCII
            }
            write(out, "\r\n");
        }
        switch (random.nextInt(30)) {
            case 0 -> write(out, "X-Big: " + marker + "x".repeat(300 * 1024) + "\r\n"); // beyond the 256 KB limit
            case 1 -> write(out, "No colon here " + marker + "\r\n");
            case 2 -> write(out, "Bad Name: " + marker + "\r\n");
            case 3 -> write(out, "Authorization: ACS3-HMAC-SHA256 Credential=" + marker + "\r\n");
            default -> { }
        }
        byte[] body = new byte[0];
        if (method.equals("POST") && random.nextBoolean()) {
            String[] types = {"application/x-www-form-urlencoded", "application/json", "text/plain",
                "application/x-www-form-urlencoded; charset=UTF-8", "multipart/form-data; boundary=x"};
            write(out, "Content-Type: " + types[random.nextInt(types.length)] + "\r\n");
            body = random.nextBoolean()
                    ? ("Action=" + ACTIONS[random.nextInt(ACTIONS.length)] + "&RegionId=cn-hangzhou&CommandContent="
                            + marker + "&InvokeId=" + encode(value(random), random))
                            .getBytes(StandardCharsets.ISO_8859_1)
                    : randomBytes(random, random.nextInt(300));
        }
        write(out, "Content-Length: " + body.length + "\r\n\r\n");
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static String value(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> "t-" + Long.toHexString(random.nextLong());
            case 2 -> "i-fuzz000" + (1 + random.nextInt(3));
            case 3 -> "cn-hangzhou";
            case 4 -> "*";
            case 5 -> "ünïcödé ✓ 中文";
            case 6 -> "x".repeat(random.nextInt(30_000));
            case 7 -> String.valueOf(random.nextInt(200) - 50);
            case 8 -> "%zz%";
            default -> "RunShellScript";
        };
    }

    /**
     * Mostly proper percent-encoding; sometimes broken escapes, escapes of bytes that are not UTF-8, or bytes a
     * request line may not carry at all, written raw.
     */
    private static String encode(String value, Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> percentEncode(value) + "%" + (random.nextBoolean() ? "g1" : ""); // a broken escape
            case 1 -> percentEncode(value) + "%C3%28"; // an invalid UTF-8 sequence
            case 2 -> percentEncode(value) + RAW[random.nextInt(RAW.length)]; // refused by Tomcat itself
            default -> percentEncode(value);
        };
    }

    private static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** ISO-8859-1: each char one byte, so that what is written is exactly the bytes meant (raw ones included). */
    private static void write(ByteArrayOutputStream out, String text) {
        for (char c : text.toCharArray()) {
            if (c < 256) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Sends these bytes as they are and reads the answer. */
    public Response send(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, source, 0)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // Tomcat may answer and close before it has read an oversize request: read what it said
            }
            InputStream in = socket.getInputStream();
            byte[] all = readAll(in);
            String text = new String(all, StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : text.substring(headerEnd + 4);
            if (head.length() < 12) {
                return new Response(-1, head, "no HTTP answer: '" + head + "'");
            }
            int status = Integer.parseInt(head.substring(9, 12));
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Response(status, head, body);
        }
    }

    /** All bytes until the server closes; a reset after the answer (unread request bytes) ends it too. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).trim().split(";")[0], 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
