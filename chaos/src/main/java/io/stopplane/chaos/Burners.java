package io.stopplane.chaos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code chaos --busy}: CPU burners beside the stack, one busy-looping shell per core by default, for the whole suite.
 * Issue 20's one failure came on a busy machine, when people stop things most; a fault must hold there too. Each burner
 * is killed by {@link #close} (the end of the suite, a failure, Ctrl-C through the shutdown hook) and, should the
 * suite's JVM itself be SIGKILLed, ends by itself: its loop runs only while that JVM's pid is alive.
 */
final class Burners implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    private Burners() {
    }

    static Burners start(int count) throws IOException {
        Burners b = new Burners();
        long suite = ProcessHandle.current().pid();
        String loop = "while kill -0 " + suite + " 2>/dev/null; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done;"
                + " done";
        try {
            for (int i = 0; i < count; i++) {
                b.processes.add(new ProcessBuilder("sh", "-c", loop).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
        } catch (IOException e) {
            b.close();
            throw e;
        }
        return b;
    }

    int count() {
        return processes.size();
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** SIGKILLs every burner and waits until each is gone. Idempotent. */
    @Override
    public synchronized void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
