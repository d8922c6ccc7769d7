package io.stopplane.agent.gateway;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the agent's one connection goes and how it first registers. The agent holds nothing else of the control plane:
 * no broker address, no credentials.
 *
 * @param gatewayUrl the agent gateway, {@code ws://} or {@code wss://}; registration uses the same host over HTTP(S)
 * @param activationId with {@code activationCode}: the activation to register with, needed only on the first start
 * @param activationFile where to read the activation instead: {@code CreateActivation}'s answer as it came,
 *     {@code {"ActivationId": "…", "ActivationCode": "…"}}
 * @param instanceCount how many instances this process hosts, registered on the first start (several for local runs
 *     and tests)
 */
@ConfigurationProperties("stopplane.agent")
record GatewayProperties(
        @DefaultValue("ws://127.0.0.1:8083") URI gatewayUrl,
        String activationId,
        String activationCode,
        Path activationFile,
        @DefaultValue("1") int instanceCount) {

    GatewayProperties {
        if (instanceCount < 1) {
            throw new IllegalArgumentException("stopplane.agent.instance-count must be at least 1: " + instanceCount);
        }
        if (!"ws".equals(gatewayUrl.getScheme()) && !"wss".equals(gatewayUrl.getScheme())) {
            throw new IllegalArgumentException("stopplane.agent.gateway-url must be ws:// or wss://: " + gatewayUrl);
        }
    }

    /** The gateway's HTTP(S) address for a path, beside its WebSocket one. */
    URI http(String path) {
        return URI.create(("wss".equals(gatewayUrl.getScheme()) ? "https" : "http") + "://"
                + gatewayUrl.getRawAuthority() + base() + path);
    }

    URI webSocket(String path) {
        return URI.create(gatewayUrl.getScheme() + "://" + gatewayUrl.getRawAuthority() + base() + path);
    }

    private String base() {
        String path = gatewayUrl.getRawPath() == null ? "" : gatewayUrl.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
