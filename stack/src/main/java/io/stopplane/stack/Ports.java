package io.stopplane.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the parts of a stack to listen on, on 127.0.0.1, below the kernel's ephemeral range. A port
 * {@code bind(0)} hands out is in that range, where any process's outgoing connection (each Kafka client's, here and in
 * every other build on the machine) may take it in the seconds before the part binds it, or while a killed part is
 * down; and a part must come back on its own port (the agent reconnects to the gateway's). A port handed out once is
 * never handed out again by this JVM.
 */
public final class Ports {

    private static final Set<Integer> RESERVED = new HashSet<>();

    private Ports() {
    }

    /** Whether something listens on {@code port} of 127.0.0.1 (a connection within {@code timeout}). */
    public static boolean listening(int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            return true;
        } catch (IOException nobody) {
            return false;
        }
    }

    public static synchronized int free() throws IOException {
        int ephemeralStart = ephemeralStart();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, ephemeralStart);
            if (RESERVED.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                RESERVED.add(s.getLocalPort());
                return port;
            } catch (IOException inUse) {
                // someone listens there: another one
            }
        }
        throw new IOException("no free port between 10000 and " + ephemeralStart);
    }

    private static int ephemeralStart() throws IOException {
        // a stream: /proc reports a size of 0, and Files.readString trusts it
        try (InputStream range = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(new String(range.readAllBytes(), StandardCharsets.US_ASCII).trim()
                    .split("\\s+")[0]);
        }
    }
}
