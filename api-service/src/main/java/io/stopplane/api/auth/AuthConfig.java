package io.stopplane.api.auth;

import io.stopplane.api.config.ApiProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.kafka.DeadLetters;
import io.stopplane.model.kafka.TopicFollower;
import io.stopplane.model.topic.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Signature mode: credentials from the file (re-read while running), the nonces shared by the replicas, the
 * authenticator, the permission check.
 */
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
        return new ReloadingCredentials(file,
                () -> CredentialStore.load(file).refusingExampleSecrets(props.allowExampleSecrets()));
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
    NonceCache nonceCache(ApiProperties props) {
        return new NonceCache(Authenticator.WINDOW, props.maxNonces());
    }

    @Bean(destroyMethod = "close")
    NonceSharing nonceSharing(NonceCache cache, KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        // a nonce is small and late is worse than lost: no batching delay, and do not wait long for a broker
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        return new NonceSharing(cache, Clock.systemUTC(), producer, meters);
    }

    @Bean
    TopicFollower nonceTopicReader(KafkaProperties kafka, NonceSharing sharing, DeadLetters deadLetters,
            MeterRegistry meters) {
        return new TopicFollower(Topics.API_NONCES.name(), kafka.buildConsumerProperties(), sharing, deadLetters,
                meters);
    }

    @Bean
    Authenticator authenticator(ReloadingCredentials credentials, NonceCache cache, NonceSharing sharing) {
        return new Authenticator(credentials, cache, sharing, Clock.systemUTC());
    }

    @Bean
    ActionAuthorizer signatureAuthorizer() {
        return new SignatureAuthorizer();
    }
}
