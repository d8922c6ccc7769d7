package io.stopplane.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The local accounts a command may run as, looked up through NSS ({@code getent}) so LDAP or sssd users count too. */
class Accounts {

    private static final String SETPRIV = executable("setpriv");

    /** An account of {@code /etc/passwd} or its NSS equivalents. */
    record Account(String name, long uid, long gid, Path home) {

        /**
         * {@code setpriv} execs without forking, so the pid the agent tracks stays the shell's; {@code runuser} and
         * {@code su} fork and wait, which would put a process between the agent and the command.
         */
        List<String> switchTo() {
            return List.of(SETPRIV, "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--reset-env", "--");
        }
    }

    Optional<Account> find(String name) {
        if (name.isBlank() || name.startsWith("-") || name.contains(":")) {
            return Optional.empty();
        }
        try {
            Process getent = new ProcessBuilder("getent", "passwd", "--", name)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String line = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!getent.waitFor(10, TimeUnit.SECONDS) || getent.exitValue() != 0) {
                getent.destroyForcibly();
                return Optional.empty();
            }
            String[] fields = line.split(":", -1);
            return fields.length < 7 ? Optional.empty()
                    : Optional.of(new Account(fields[0], Long.parseLong(fields[2]), Long.parseLong(fields[3]),
                            Path.of(fields[5].isEmpty() ? "/" : fields[5])));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether the agent runs with uid 0, and so may run commands as other users. */
    boolean agentIsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2])
                    .anyMatch("0"::equals);
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String executable(String name) {
        return List.of("/usr/bin/" + name, "/bin/" + name).stream()
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst()
                .orElse(name);
    }
}
