package io.stopplane.gateway.support;

import org.awaitility.Awaitility;

import io.stopplane.model.json.StopPlaneJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * A test-side agent speaking the gateway protocol over the JDK's WebSocket client: every frame it receives is kept, in
 * order, and so is how the gateway closed the socket.
 */
public final class TestAgent implements AutoCloseable {

    /** The boot id a test agent says in its hello. */
    public static final String BOOT_ID = "0f5e2c1a-9b7d-4e3f-8a6b-5c4d3e2f1a0b";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private TestAgent(URI uri) {
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).join();
    }

    public static TestAgent connect(URI uri) {
        return new TestAgent(uri);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(StopPlaneJson.mapper().readTree(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete("error " + error);
        }
    }

    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    public List<JsonNode> frames(String type) {
        return frames.stream().filter(f -> type.equals(f.path("type").asString())).toList();
    }

    /** The first frame of that type, waited for. */
    public JsonNode await(String type) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !frames(type).isEmpty());
        return frames(type).get(0);
    }

    /** "<close code> <reason>" once the gateway closed the socket. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    /** Waits for the challenge and proves {@code identities} with it. */
    public TestAgent hello(TestIdentity... identities) {
        return sendText(helloFrame(identities));
    }

    /** The hello frame that proves {@code identities} on this connection (what an eavesdropper could capture). */
    public String helloFrame(TestIdentity... identities) {
        return helloFrame(BOOT_ID, identities);
    }

    /** The same, saying {@code bootId} as the host's boot id. */
    public String helloFrame(String bootId, TestIdentity... identities) {
        JsonNode challenge = await("challenge");
        String gatewayId = challenge.path("gatewayId").asString();
        String nonce = challenge.path("nonce").asString();
        List<Map<String, String>> instances = new ArrayList<>();
        for (TestIdentity id : identities) {
            instances.add(Map.of("instanceId", id.instanceId(), "signature", id.sign(gatewayId, nonce)));
        }
        return StopPlaneJson.mapper().writeValueAsString(Map.of("type", "hello", "agentVersion", "0.1.0-test",
                "hostname", "test-host", "killMethod", "process-group", "bootId", bootId, "instances", instances));
    }

    /** Sends a report frame; its id is returned for matching the ack or refusal. */
    public String report(String frameId, String invokeId, String instanceId, String status, String output) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("invokeId", invokeId);
        report.put("instanceId", instanceId);
        report.put("status", status);
        report.put("exitCode", 0);
        report.put("output", output);
        report.put("dropped", 0);
        report.put("agentTime", "2100-01-01T00:00:00Z");
        send(Map.of("type", "report", "id", frameId, "report", report));
        return frameId;
    }

    /** The ack or refused frame answering a report frame. */
    public JsonNode answer(String frameId) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> answerOrNull(frameId) != null);
        return answerOrNull(frameId);
    }

    private JsonNode answerOrNull(String frameId) {
        return frames.stream().filter(f -> frameId.equals(f.path("id").asString(null))).findFirst().orElse(null);
    }

    public TestAgent send(Object frame) {
        return sendText(StopPlaneJson.mapper().writeValueAsString(frame));
    }

    public TestAgent sendText(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends without waiting: the gateway may close the socket before all of it is out. */
    public CompletableFuture<WebSocket> trySendText(String text) {
        return socket.sendText(text, true);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }
}
