package io.stopplane.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaLoginTest {

    @Test
    void withoutASaslProtocolThereIsNoLogin() {
        assertThat(KafkaLogin.of(Map.of())).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void aSaslProtocolLogsInWithScram() {
        Map<String, Object> p = KafkaLogin.of(Map.of("STOPPLANE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "STOPPLANE_KAFKA_USERNAME", "audit", "STOPPLANE_KAFKA_PASSWORD", "s3cret"));
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"audit\" password=\"s3cret\";");
    }

    @Test
    void aSaslProtocolWithoutCredentialsOrWithQuotesIsRefused() {
        assertThatThrownBy(() -> KafkaLogin.of(Map.of("STOPPLANE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")))
                .hasMessageContaining("STOPPLANE_KAFKA_USERNAME");
        assertThatThrownBy(() -> KafkaLogin.scram("audit", "a\"b")).isInstanceOf(IllegalArgumentException.class);
    }
}
