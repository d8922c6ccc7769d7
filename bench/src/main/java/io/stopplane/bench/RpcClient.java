package io.stopplane.bench;

import io.stopplane.model.json.StopPlaneJson;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import tools.jackson.databind.JsonNode;

/**
 * A small blocking HTTP/1.1 client with keep-alive connections, for signed RPC calls. Cheaper per call than
 * {@code java.net.http.HttpClient}, which matters when the client shares two cores with what it measures. Thread-safe:
 * each call borrows a connection from the pool (opening one when none is free) and returns it afterwards.
 */
final class RpcClient implements AutoCloseable {

    static final String REGION = "cn-hangzhou";

    private final String hostHeader;
    private final InetSocketAddress address;
    private final AcsV3Signer signer;
    private final InetAddress local;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(4096);
    private volatile boolean closed;

    /** A response: the HTTP status and the body. */
    record Response(int status, String body) {

        boolean ok() {
            return status == 200;
        }

        JsonNode json() {
            return StopPlaneJson.mapper().readTree(body);
        }

        String code() {
            if (ok()) {
                return null;
            }
            try {
                JsonNode code = json().get("Code");
                return code == null ? "HTTP " + status : code.asString();
            } catch (RuntimeException e) {
                return "HTTP " + status;
            }
        }
    }

    RpcClient(URI target, AcsV3Signer signer) {
        this(target, signer, null);
    }

    /**
     * A client whose connections leave from {@code local} (null: any): the API throttles failed requests per source
     * address, so a bench that sends abuse beside honest calls must send them from addresses of their own.
     */
    RpcClient(URI target, AcsV3Signer signer, InetAddress local) {
        this.local = local;
        int port = target.getPort() > 0 ? target.getPort() : 80;
        this.address = new InetSocketAddress(target.getHost(), port);
        this.hostHeader = target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : "");
        this.signer = signer;
    }

    /** Signs and sends one call (V3: POST, parameters in the query, the action in a header). */
    Response call(String action, Map<String, String> params) throws IOException {
        return call(signer, action, params);
    }

    /** The same call signed by {@code as} (one client, and its connections, for the keys of many accounts). */
    Response call(AcsV3Signer as, String action, Map<String, String> params) throws IOException {
        return send(as.sign(hostHeader, action, params));
    }

    /** The Host header this client signs (to sign a request here and send it later, or twice). */
    String host() {
        return hostHeader;
    }

    /** Sends a request signed beforehand, as it is: sent twice, the second is a replay. */
    Response send(AcsV3Signer.Signed signed) throws IOException {
        StringBuilder head = new StringBuilder(1024);
        head.append("POST /?").append(signed.query()).append(" HTTP/1.1\r\n");
        signed.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("user-agent: stopplane-bench\r\ncontent-length: 0\r\n\r\n");
        byte[] request = head.toString().getBytes(StandardCharsets.UTF_8);
        Connection c = borrow();
        try {
            return exchange(c, request);
        } catch (IOException e) {
            // A kept-alive connection the server closed meanwhile: one retry on a fresh one. Not after a timeout: the
            // server may have taken the request, and the same nonce again would be refused as a replay.
            if (c.used > 0 && !(e instanceof java.net.SocketTimeoutException)) {
                return exchange(open(), request);
            }
            throw e;
        }
    }

    /** One exchange on {@code c}: back to the idle ones after an answer, closed after a failure. */
    private Response exchange(Connection c, byte[] request) throws IOException {
        try {
            Response r = c.exchange(request);
            release(c);
            return r;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private Connection borrow() throws IOException {
        Connection c = idle.poll();
        return c != null ? c : open();
    }

    private Connection open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        if (local != null) {
            s.bind(new InetSocketAddress(local, 0));
        }
        s.connect(address, 5000);
        s.setSoTimeout(30_000);
        return new Connection(s);
    }

    private void release(Connection c) {
        if (closed || !c.keepAlive || !idle.offer(c)) {
            c.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean keepAlive = true;
        private int used;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
        }

        Response exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (status == null) {
                throw new IOException("connection closed");
            }
            used++;
            int code = Integer.parseInt(status.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            String header;
            while ((header = line()) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                    keepAlive = false;
                }
            }
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                while (true) {
                    String size = line();
                    if (size == null) {
                        throw new IOException("truncated chunked body");
                    }
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        String trailer;
                        while ((trailer = line()) != null && !trailer.isEmpty()) {
                            // trailers are not used
                        }
                        break;
                    }
                    b.write(in.readNBytes(n));
                    line();
                }
                body = b.toByteArray();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
            } else {
                keepAlive = false;
                body = in.readAllBytes();
            }
            return new Response(code, new String(body, StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                sb.append((char) c);
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
