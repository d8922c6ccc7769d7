package io.stopplane.agent.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationTest {

    @TempDir
    Path dir;

    @Test
    void theSettingsComeFirstThenCreateActivationsAnswerInAFile() throws Exception {
        Path file = dir.resolve("activation.json");
        Files.writeString(file, "{\"RequestId\":\"r\",\"ActivationId\":\"A-1\",\"ActivationCode\":\"secret\"}");

        assertThat(Activation.of(props("A-0", "code", file))).contains(new Activation("A-0", "code"));
        assertThat(Activation.of(props(null, null, file))).contains(new Activation("A-1", "secret"));
        assertThat(Activation.of(props(null, null, dir.resolve("missing.json")))).isEmpty();
        assertThat(new Activation("A-1", "secret").toString()).doesNotContain("secret");
    }

    @Test
    void registrationAndTheConnectionGoToTheGatewaysAddressUnderItsPath() {
        GatewayProperties tls = new GatewayProperties(URI.create("wss://gw.example:443/edge/"), null, null, null, 1);
        assertThat(tls.http("/agent/v1/register")).hasToString("https://gw.example:443/edge/agent/v1/register");
        assertThat(tls.webSocket("/agent/v1/connect")).hasToString("wss://gw.example:443/edge/agent/v1/connect");
        GatewayProperties plain = new GatewayProperties(URI.create("ws://127.0.0.1:8083"), null, null, null, 1);
        assertThat(plain.http("/agent/v1/register")).hasToString("http://127.0.0.1:8083/agent/v1/register");
    }

    private static GatewayProperties props(String id, String code, Path file) {
        return new GatewayProperties(URI.create("ws://127.0.0.1:8083"), id, code, file, 1);
    }
}
