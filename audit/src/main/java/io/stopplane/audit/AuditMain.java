package io.stopplane.audit;

import io.stopplane.model.state.InvocationFold;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar audit.jar <command> [options]}: see {@code audit help}. */
public final class AuditMain {

    // Held: java.util.logging keeps loggers weakly, and a collected one forgets its level.
    private static final Logger FOLD_LOG = Logger.getLogger(InvocationFold.class.getName());

    private AuditMain() {
    }

    public static void main(String[] args) {
        // The timeline shows what the fold ignored; its log lines would only interleave with the output.
        FOLD_LOG.setLevel(Level.OFF);
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        int status = new Audit(System.getenv(), out, System.err, System.console() != null, Clock.systemUTC())
                .run(args);
        out.flush();
        System.exit(status);
    }
}
