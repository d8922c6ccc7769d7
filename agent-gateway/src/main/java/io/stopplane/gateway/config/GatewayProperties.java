package io.stopplane.gateway.config;

import java.security.SecureRandom;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's settings ({@code stopplane.gateway.*}); see docs/agent-gateway.md.
 *
 * @param id this gateway's id, in every challenge and on every report it stamps; blank = {@code gw-} + random
 * @param heartbeatInterval how often the heartbeats of all connected instances are written, in one batch
 * @param registrationTimeout how long a registration waits for the registry fold's verdict before answering 503
 * @param helloTimeout how long a new connection may take to prove its instances
 * @param commandsReplay how far back a starting gateway reads {@code instance-commands}; null = from the beginning, so
 *     the topic's retention decides
 * @param finalRetention how long a pair whose status is final is still known as a target (its commands are dropped at
 *     once): a report repeated after a reconnect is then still written, not refused
 * @param maxFrameBytes the largest frame an agent may send
 * @param maxInstancesPerConnection the most instances one hello may prove
 * @param maxHandshakesInFlight the most connections between their upgrade and their welcome; more are refused before
 *     the upgrade with 503 {@code Gateway.Busy}, so that a fleet reconnecting at once cannot starve the handshakes
 */
@ConfigurationProperties("stopplane.gateway")
public record GatewayProperties(
        String id,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("10s") Duration registrationTimeout,
        @DefaultValue("10s") Duration helloTimeout,
        Duration commandsReplay,
        @DefaultValue("15m") Duration finalRetention,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("64") int maxInstancesPerConnection,
        @DefaultValue("256") int maxHandshakesInFlight) {

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    public GatewayProperties {
        if (maxHandshakesInFlight < 1) {
            throw new IllegalArgumentException("stopplane.gateway.max-handshakes-in-flight must be at least 1");
        }
        if (id == null || id.isBlank()) {
            id = "gw-" + randomBase32(12);
        }
    }

    /** {@code n} random characters of the lower-case base32 alphabet: instance ids and gateway ids. */
    public static String randomBase32(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(BASE32.charAt(RANDOM.nextInt(BASE32.length())));
        }
        return s.toString();
    }

    /** The {@code ce_source} of what this gateway writes. */
    public String source() {
        return "/stopplane/agent-gateway/" + id;
    }
}
