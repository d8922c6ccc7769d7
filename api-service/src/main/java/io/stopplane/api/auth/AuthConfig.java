package io.stopplane.api.auth;

import io.stopplane.api.config.ApiProperties;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Signature mode: credentials from the file, the authenticator, the permission check. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "stopplane.api.auth-mode", havingValue = "signature")
class AuthConfig {

    @Bean
    CredentialStore credentialStore(ApiProperties props) {
        if (props.authCredentials() == null || props.authCredentials().isBlank()) {
            throw new IllegalStateException("stopplane.api.auth-mode=signature needs a credentials file: set"
                    + " STOPPLANE_AUTH_CREDENTIALS");
        }
        return CredentialStore.load(Path.of(props.authCredentials()));
    }

    @Bean
    Authenticator authenticator(CredentialStore credentials) {
        return new Authenticator(credentials, Clock.systemUTC());
    }

    @Bean
    ActionAuthorizer signatureAuthorizer() {
        return new SignatureAuthorizer();
    }
}
