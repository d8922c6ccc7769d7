package io.stopplane.api.auth;

import io.stopplane.api.config.ApiProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Signature mode: credentials from the file (re-read while running), the authenticator, the permission check. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "stopplane.api.auth-mode", havingValue = "signature")
class AuthConfig {

    /** Bean name {@code credentials}: its health is {@code credentials} in Actuator's. */
    @Bean("credentials")
    ReloadingCredentials credentials(ApiProperties props) {
        if (props.authCredentials() == null || props.authCredentials().isBlank()) {
            throw new IllegalStateException("stopplane.api.auth-mode=signature needs a credentials file: set"
                    + " STOPPLANE_AUTH_CREDENTIALS");
        }
        Path file = Path.of(props.authCredentials());
        return new ReloadingCredentials(file, () -> CredentialStore.load(file));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService credentialsReload(ReloadingCredentials credentials, ApiProperties props) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "credentials-reload");
            t.setDaemon(true);
            return t;
        });
        long every = props.authReloadInterval().toMillis();
        timer.scheduleWithFixedDelay(credentials::poll, every, every, TimeUnit.MILLISECONDS);
        return timer;
    }

    @Bean
    Authenticator authenticator(ReloadingCredentials credentials) {
        return new Authenticator(credentials, Clock.systemUTC());
    }

    @Bean
    ActionAuthorizer signatureAuthorizer() {
        return new SignatureAuthorizer();
    }
}
