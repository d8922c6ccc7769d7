package io.stopplane.agent.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -s SIG -- -group}, the one atomic way to signal a whole process group, through one long-lived
 * {@code /bin/sh} whose builtin {@code kill} does it: the JDK cannot signal a group, and starting {@code /bin/kill} for
 * every signal costs a process spawn (milliseconds of CPU; two per stop, a thousand stops at once in a fan-out). The
 * shell reads one command per line and answers each with its status. Signals asked for meanwhile are written together
 * and answered together, so a burst of stops does not queue behind one round trip per signal. The shell ends with the
 * agent (its stdin closes). Should it fail, or not answer in time, a {@code kill} process is started for the signal as
 * before.
 */
final class GroupSignals {

    private static final Logger log = LoggerFactory.getLogger(GroupSignals.class);
    private static final long ANSWER_TIMEOUT_MS = 5_000;
    private static final int MAX_BATCH = 256;

    private record Request(long group, String signal, CompletableFuture<Void> done) {
    }

    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private Thread writer;
    private Process shell;
    private Writer commands;
    private BufferedReader answers;

    /** Returns once the signal was sent; fails harmlessly when the group is already empty. */
    void signal(long group, String signal) {
        Request r = new Request(group, signal, new CompletableFuture<>());
        ensureWriter();
        requests.add(r);
        try {
            r.done().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.warn("Signal shell failed, starting kill for SIG{} to group {}: {}", signal, group, e.toString());
        }
        viaKillProcess(group, signal);
    }

    private synchronized void ensureWriter() {
        if (writer == null) {
            writer = new Thread(this::serve, "agent-signals");
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void serve() {
        List<Request> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(requests.take());
            } catch (InterruptedException e) {
                return;
            }
            requests.drainTo(batch, MAX_BATCH - 1);
            try {
                send(batch);
                batch.forEach(r -> r.done().complete(null));
            } catch (IOException | RuntimeException e) {
                closeShell();
                batch.forEach(r -> r.done().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    private void send(List<Request> batch) throws IOException {
        if (shell == null || !shell.isAlive()) {
            shell = new ProcessBuilder("/bin/sh", "-s").redirectErrorStream(true).start();
            commands = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.US_ASCII);
            answers = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
        }
        StringBuilder lines = new StringBuilder(batch.size() * 48);
        for (Request r : batch) {
            lines.append("kill -s ").append(r.signal()).append(" -- -").append(r.group())
                    .append(" 2>/dev/null; echo \"$?\"\n");
        }
        commands.write(lines.toString());
        commands.flush();
        for (int i = 0; i < batch.size(); i++) {
            if (answers.readLine() == null) {
                throw new IOException("the signal shell ended");
            }
        }
    }

    private void closeShell() {
        if (shell != null) {
            shell.destroyForcibly();
            shell = null;
        }
    }

    private static void viaKillProcess(long group, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + group)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            log.warn("Could not signal process group {} with SIG{}", group, signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
