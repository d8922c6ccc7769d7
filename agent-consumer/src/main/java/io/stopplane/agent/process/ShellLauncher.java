package io.stopplane.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Starts {@code /bin/sh -c <script>} as the leader of its own session and process group, so that a stop can signal the
 * whole group at once and the agent's own group is never hit. The JVM's child is not a group leader, so {@code setsid}
 * calls setsid(2) and execs the shell without forking: the {@link Process}'s pid is also the group id.
 */
final class ShellLauncher {

    private static final String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElse("setsid");

    Process launch(String script, Path workingDir) throws IOException {
        // --wait: should setsid ever have to fork, it still lives as long as the shell, so the exit status stays true.
        return new ProcessBuilder(SETSID, "--wait", "/bin/sh", "-c", script)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                // Nobody will ever type into it: a script reading stdin gets end-of-file instead of hanging.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }
}
