package io.stopplane.access;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka login of a client that is not a Spring service (the audit CLI, the bench, the chaos tool,
 * {@code KafkaAccessSetup}), from the environment variables each service's {@code application.yml} reads:
 * {@code STOPPLANE_KAFKA_SECURITY_PROTOCOL} (default {@code PLAINTEXT}: no login, as on the tests' embedded brokers),
 * and for a SASL protocol {@code STOPPLANE_KAFKA_USERNAME} and {@code STOPPLANE_KAFKA_PASSWORD}, spoken with
 * SCRAM-SHA-512. The password goes into {@code sasl.jaas.config}, a password-typed config the clients never log.
 */
public final class KafkaLogin {

    public static final String MECHANISM = "SCRAM-SHA-512";

    /** The client properties of the login the environment gives. */
    public static Map<String, Object> fromEnvironment() {
        return of(System.getenv());
    }

    static Map<String, Object> of(Map<String, String> env) {
        String protocol = env.getOrDefault("STOPPLANE_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        if (!protocol.startsWith("SASL_")) {
            return Map.of("security.protocol", protocol);
        }
        String user = env.get("STOPPLANE_KAFKA_USERNAME");
        String password = env.get("STOPPLANE_KAFKA_PASSWORD");
        if (user == null || user.isBlank() || password == null || password.isBlank()) {
            throw new IllegalStateException("STOPPLANE_KAFKA_SECURITY_PROTOCOL=" + protocol
                    + " needs STOPPLANE_KAFKA_USERNAME and STOPPLANE_KAFKA_PASSWORD");
        }
        Map<String, Object> p = new HashMap<>(scram(user, password));
        p.put("security.protocol", protocol);
        return p;
    }

    /** SASL_PLAINTEXT with SCRAM-SHA-512 as this user. */
    public static Map<String, Object> scram(String user, String password) {
        if (!user.matches("[A-Za-z0-9._-]+") || password.contains("\"") || password.contains("\\")) {
            throw new IllegalArgumentException("a Kafka user name is [A-Za-z0-9._-]+ and a password has no \" or \\");
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    private KafkaLogin() {
    }
}
