package io.stopplane.api.auth;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The credentials file, re-read on every {@link #poll} (scheduled by AuthConfig), so that a key is added, disabled or
 * rotated without a restart. Polling, not a file watch: container platforms swap mounted secrets by replacing a
 * symlink, which a watch on the file misses; re-reading a file of a few keys costs nothing. A file that does not load
 * keeps the last good credentials, with the error in the log and in {@code credentials} of the health (status
 * {@code STALE}, which leaves the aggregate UP: the API still serves, with the keys it had).
 */
final class ReloadingCredentials implements Supplier<CredentialStore>, HealthIndicator {

    static final String STALE = "STALE";
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingCredentials.class);

    private final Supplier<CredentialStore> loader;
    private final Path file;
    private final AtomicReference<CredentialStore> current;
    private volatile String error;

    /** Loads the file once now: at start-up there is no last good file to fall back to, so a broken one is fatal. */
    ReloadingCredentials(Path file, Supplier<CredentialStore> loader) {
        this.file = file;
        this.loader = loader;
        this.current = new AtomicReference<>(loader.get());
    }

    @Override
    public CredentialStore get() {
        return current.get();
    }

    /** Re-reads the file; keeps the last good credentials when it does not load. */
    void poll() {
        CredentialStore next;
        try {
            next = loader.get();
        } catch (RuntimeException e) {
            String message = Objects.toString(e.getMessage(), e.getClass().getSimpleName());
            if (!message.equals(error)) {
                LOG.error("credentials file {} not reloaded, keeping the last good one: {}", file, message);
            }
            error = message;
            return;
        }
        if (error != null) {
            LOG.info("credentials file {} loads again", file);
            error = null;
        }
        if (!next.equals(current.getAndSet(next))) {
            LOG.info("credentials file {} reloaded: {} accounts", file, next.accounts().size());
        }
    }

    Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public Health health() {
        String e = error;
        return e == null ? Health.up().withDetail("file", file.toString()).build()
                : Health.status(STALE).withDetail("file", file.toString()).withDetail("error", e).build();
    }
}
