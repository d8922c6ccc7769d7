package io.stopplane.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The remote ports of the TCP connections a process opened: the socket inodes among its descriptors
 * ({@code /proc/<pid>/fd}), looked up in {@code /proc/<pid>/net/tcp} and {@code tcp6} (which list the whole network
 * namespace: only the process's own inodes count).
 */
final class ProcSockets {

    private ProcSockets() {
    }

    /** @param serverPort the process's own listening port: connections accepted on it are not its own doing */
    static Set<Integer> remotePorts(long pid, int serverPort) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] f = line.trim().split("\\s+");
                // local, remote, state (01 = established), …, inode in column 10
                if (f.length > 9 && "01".equals(f[3]) && inodes.contains(f[9]) && port(f[1]) != serverPort) {
                    ports.add(port(f[2]));
                }
            }
        }
        return ports;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
