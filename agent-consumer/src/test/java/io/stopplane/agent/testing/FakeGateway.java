package io.stopplane.agent.testing;

import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.status.InstanceStatus;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import tools.jackson.databind.JsonNode;

/**
 * The agent gateway's protocol (docs/agent-gateway.md) played by the test on an embedded Tomcat: registration hands
 * out the instance ids it was given, in order; a connection must sign the challenge with the registered key; on the
 * welcome it gets every command sent so far for its instances in one batch, then each new one; every report is
 * recorded and acknowledged (or refused, for the statuses it is told to refuse).
 */
public final class FakeGateway implements AutoCloseable {

    public static final String ACTIVATION_ID = "act-test";
    public static final String ACTIVATION_CODE = "code-test";

    private final Tomcat tomcat = new Tomcat();
    private final Deque<String> unassigned;
    private final Map<String, String> publicKeys = new ConcurrentHashMap<>();
    private final List<InstanceCommand> commands = new CopyOnWriteArrayList<>();
    private final Map<Session, Set<String>> welcomed = new ConcurrentHashMap<>();
    private final List<InstanceStatusReported> reports = new CopyOnWriteArrayList<>();
    private final Set<InstanceStatus> refusing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger welcomes = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closedToAgents;
    private final int port;

    private FakeGateway(List<String> instanceIds) throws Exception {
        this.unassigned = new ArrayDeque<>(instanceIds);
        tomcat.setBaseDir(Files.createTempDirectory("fake-gateway").toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            Connection endpoint = new Connection();
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(Connection.class, "/agent/v1/connect")
                        .configurator(new ServerEndpointConfig.Configurator() {
                            @Override
                            @SuppressWarnings("unchecked")
                            public <T> T getEndpointInstance(Class<T> type) {
                                return (T) endpoint;
                            }
                        }).build());
            } catch (jakarta.websocket.DeploymentException e) {
                throw new IllegalStateException(e);
            }
        }, null);
        Tomcat.addServlet(context, "register", new Register());
        context.addServletMappingDecoded("/agent/v1/register", "register");
        // The WebSocket upgrade is a filter, and filters run only on a request some servlet is mapped to.
        Tomcat.addServlet(context, "default", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(404);
            }
        });
        context.addServletMappingDecoded("/", "default");
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    /** @param instanceIds handed out by registration, in this order */
    public static FakeGateway start(String... instanceIds) throws Exception {
        return new FakeGateway(List.of(instanceIds));
    }

    /** More instance ids for registration to hand out, after those already queued. */
    public void assign(String... instanceIds) {
        synchronized (unassigned) {
            unassigned.addAll(List.of(instanceIds));
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "ws://127.0.0.1:" + port;
    }

    /** Queues the commands as the gateway would hold them, and pushes them to a connected agent of their instance. */
    public void send(InstanceCommand... sent) {
        List<InstanceCommand> batch = List.of(sent);
        commands.addAll(batch);
        welcomed.forEach((session, instances) -> push(session, batch.stream()
                .filter(c -> instances.contains(c.instanceId().value())).toList()));
    }

    /** Everything reported so far about an invocation, in order. */
    public List<InstanceStatusReported> reportsOf(InvokeId invokeId) {
        return reports.stream().filter(r -> r.invokeId().equals(invokeId)).toList();
    }

    public void refuse(InstanceStatus status) {
        refusing.add(status);
    }

    /** Drops every connection and, while {@code closed}, every new one at once: the agent is cut off. */
    public void cutOff(boolean closed) {
        closedToAgents = closed;
        if (closed) {
            welcomed.keySet().forEach(FakeGateway::closeQuietly);
        }
    }

    public int welcomes() {
        return welcomes.get();
    }

    public boolean connected() {
        return !welcomed.isEmpty();
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private void push(Session session, List<InstanceCommand> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<JsonNode> parsed = new ArrayList<>();
        for (InstanceCommand c : batch) {
            parsed.add(StopPlaneJson.mapper().readTree(
                    StopPlaneJson.mapper().writerFor(InstanceCommand.class).writeValueAsString(c)));
        }
        send(session, Map.of("type", "commands", "commands", parsed));
    }

    private static void send(Session session, Object frame) {
        synchronized (session) {
            try {
                session.getBasicRemote().sendText(StopPlaneJson.mapper().writeValueAsString(frame));
            } catch (IOException | IllegalStateException e) {
                closeQuietly(session);
            }
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "test"));
        } catch (IOException | IllegalStateException e) {
            // already gone
        }
    }

    private boolean verified(String instanceId, String signature, String nonce) {
        String key = publicKeys.get(instanceId);
        if (key == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key))));
            verifier.update(("stopplane-agent-v1\ngw-test\n" + nonce + "\n" + instanceId).getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (Exception e) {
            return false;
        }
    }

    /** One endpoint instance for every connection; its state is per session. */
    public final class Connection extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            if (closedToAgents) {
                closeQuietly(session);
                return;
            }
            // The protocol's frame cap, as the gateway's.
            session.setMaxTextMessageBufferSize(64 * 1024);
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String nonce = Base64.getEncoder().encodeToString(bytes);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> handle(session, nonce, text));
            send(session, Map.of("type", "challenge", "gatewayId", "gw-test", "nonce", nonce));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            welcomed.remove(session);
        }

        private void handle(Session session, String nonce, String text) {
            JsonNode frame = StopPlaneJson.mapper().readTree(text);
            switch (frame.path("type").asString("")) {
                case "hello" -> hello(session, nonce, frame);
                case "report" -> report(session, frame);
                default -> closeQuietly(session);
            }
        }

        private void hello(Session session, String nonce, JsonNode frame) {
            List<String> instances = new ArrayList<>();
            for (JsonNode proof : frame.path("instances")) {
                String id = proof.path("instanceId").asString("");
                if (!verified(id, proof.path("signature").asString(""), nonce)) {
                    send(session, Map.of("type", "error", "code", "InvalidSignature", "message", id));
                    closeQuietly(session);
                    return;
                }
                instances.add(id);
            }
            welcomed.put(session, Set.copyOf(instances));
            welcomes.incrementAndGet();
            send(session, Map.of("type", "welcome", "instances", instances));
            push(session, commands.stream().filter(c -> instances.contains(c.instanceId().value())).toList());
        }

        private void report(Session session, JsonNode frame) {
            JsonNode r = frame.path("report");
            InstanceStatus status = InstanceStatus.fromWire(r.path("status").asString(""));
            String id = frame.path("id").asString("");
            if (refusing.contains(status)) {
                send(session, Map.of("type", "refused", "id", id, "code", "InvalidStatus", "message", "refused"));
                return;
            }
            reports.add(new InstanceStatusReported(UUID.randomUUID().toString(), InvokeId.of(r.path("invokeId")
                    .asString()), Instant.now(), InstanceId.of(r.path("instanceId").asString()), status,
                    r.hasNonNull("exitCode") ? r.path("exitCode").asInt() : null,
                    r.hasNonNull("errorCode") ? r.path("errorCode").asString() : null,
                    r.hasNonNull("errorInfo") ? r.path("errorInfo").asString() : null,
                    r.hasNonNull("output") ? r.path("output").asString() : null, r.path("dropped").asLong()));
            send(session, Map.of("type", "ack", "id", id));
        }
    }

    /** {@code POST /agent/v1/register}: the next instance id for the test's activation, 401 for any other. */
    private final class Register extends HttpServlet {

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            JsonNode body = StopPlaneJson.mapper().readTree(request.getInputStream().readAllBytes());
            response.setContentType("application/json");
            if (!ACTIVATION_ID.equals(body.path("activationId").asString(""))
                    || !ACTIVATION_CODE.equals(body.path("activationCode").asString(""))) {
                response.setStatus(401);
                response.getWriter().write("{\"code\":\"InvalidActivationCode\",\"message\":\"no\"}");
                return;
            }
            String id;
            synchronized (unassigned) {
                id = unassigned.poll();
            }
            if (id == null) {
                response.setStatus(403);
                response.getWriter().write("{\"code\":\"Activation.InstanceCountExceeded\",\"message\":\"used up\"}");
                return;
            }
            publicKeys.put(id, body.path("publicKey").asString(""));
            response.getWriter().write("{\"instanceId\":\"" + id + "\",\"regionId\":\"cn-hangzhou\"}");
        }
    }
}
