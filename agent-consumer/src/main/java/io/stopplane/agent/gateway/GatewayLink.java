package io.stopplane.agent.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.agent.process.ProcessControl;
import io.stopplane.agent.process.ShutdownFirst;
import io.stopplane.model.agent.AgentSocket;
import io.stopplane.model.agent.Backoff;
import io.stopplane.model.json.StopPlaneJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The agent's one connection to the gateway (JDK WebSocket): challenge, signed hello, welcome, then frames both ways.
 * A lost connection is opened again with exponential backoff and jitter, for as long as the agent runs; meanwhile the
 * agent goes on running and stopping what it has. A connection the gateway stops answering (no frame, no pong for
 * {@link #SILENCE}) is dropped and opened again. What the frames mean is up to the {@link Party}s that join: the
 * reporter and the intake. The connection is closed last, when the beans are destroyed, so that the reports of the
 * commands killed at shutdown still have their two seconds to go out.
 */
@Component
class GatewayLink implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GatewayLink.class);
    private static final Duration PING = Duration.ofSeconds(10);
    private static final Duration SILENCE = Duration.ofSeconds(30);

    /** Who hears what comes over the connection; called on the connection's thread, so never blocks. */
    interface Party {

        /** Welcomed: {@code send} writes a frame on this connection (in order) until {@link #lost()}. */
        default void welcomed(Consumer<String> send) {
        }

        /** A frame after the welcome, by its type. */
        default void frame(String type, JsonNode frame) {
        }

        default void lost() {
        }

        /** Every {@code PING} (10 s) while welcomed, on the link's thread: a moment to look at what went unanswered. */
        default void tick() {
        }
    }

    private final URI uri;
    private final Identities identities;
    private final GatewayConfig.AgentHost host;
    /** How this agent kills, as it tells the gateway in its hello (cgroup or process-group: ProcessControl). */
    private final String killMethod;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), ThreadLocalRandom.current());
    private final List<Party> parties = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "agent-gateway");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter welcomes;
    private final Counter losses;
    private volatile Session session;
    private volatile boolean running;
    private volatile boolean closed;

    GatewayLink(GatewayProperties props, Identities identities, GatewayConfig.AgentHost host, ProcessControl control,
            MeterRegistry meters) {
        this.uri = props.webSocket("/agent/v1/connect");
        this.killMethod = control.killMethod().wireName();
        this.identities = identities;
        this.host = host;
        this.welcomes = Counter.builder("stopplane.agent.gateway.welcomes")
                .description("Connections to the gateway that were welcomed").register(meters);
        this.losses = Counter.builder("stopplane.agent.gateway.losses")
                .description("Connections to the gateway lost or refused").register(meters);
    }

    void join(Party party) {
        parties.add(party);
    }

    /** Connected, proven and welcomed: commands reach this agent and its reports go out. */
    boolean welcomed() {
        Session s = session;
        return s != null && s.welcomed;
    }

    String killMethod() {
        return killMethod;
    }

    URI uri() {
        return uri;
    }

    @Override
    public void start() {
        running = true;
        scheduler.execute(this::connect);
        scheduler.scheduleWithFixedDelay(this::keepAlive, PING.toMillis(), PING.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The connection stays until {@link #destroy()}: the shutdown's last reports go out on it. */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the running commands were given their end: see {@link ShutdownFirst}. */
    @Override
    public int getPhase() {
        return ShutdownFirst.LATER;
    }

    @Override
    public void destroy() {
        closed = true;
        scheduler.shutdownNow();
        Session s = session;
        if (s != null) {
            s.close();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        Session s = new Session();
        session = s;
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, s)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        s.lost("cannot connect: " + AgentSocket.rootCause(error));
                    }
                });
    }

    private void reconnectLater() {
        if (closed) {
            return;
        }
        Duration wait = backoff.next();
        try {
            scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void keepAlive() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.keepAlive(SILENCE);
            if (s.welcomed) {
                parties.forEach(Party::tick);
            }
        }
    }

    /** One connection, from its opening to its loss. */
    private final class Session extends AgentSocket {

        private volatile boolean welcomed;
        private boolean helloSent;

        @Override
        protected void onFrame(String raw) {
            handle(raw);
        }

        private void handle(String raw) {
            JsonNode frame;
            try {
                frame = StopPlaneJson.mapper().readTree(raw);
            } catch (JacksonException e) {
                log.warn("Unreadable frame from the gateway ({} chars), dropping the connection", raw.length());
                lost("unreadable frame");
                return;
            }
            String type = frame.path("type").asString("");
            switch (type) {
                case "challenge" -> hello(frame);
                case "welcome" -> welcome(frame);
                case "error" -> log.warn("The gateway refused this agent: {} {}", frame.path("code").asString(""),
                        frame.path("message").asString(""));
                default -> {
                    if (welcomed) {
                        parties.forEach(p -> p.frame(type, frame));
                    } else {
                        log.warn("A {} frame before the welcome, dropping the connection", type);
                        lost("frame before the welcome");
                    }
                }
            }
        }

        private void hello(JsonNode challenge) {
            if (helloSent) {
                lost("a second challenge");
                return;
            }
            helloSent = true;
            send(Frames.hello(host, killMethod, identities.all(), challenge.path("gatewayId").asString(""),
                    challenge.path("nonce").asString("")));
        }

        private void welcome(JsonNode frame) {
            if (!helloSent || welcomed) {
                lost("an unexpected welcome");
                return;
            }
            welcomed = true;
            backoff.reset();
            welcomes.increment();
            log.info("Connected to the gateway {} for {}", uri, frame.path("instances"));
            parties.forEach(p -> p.welcomed(this::send));
        }

        @Override
        protected void onLost(String reason) {
            boolean wasWelcomed = welcomed;
            welcomed = false;
            losses.increment();
            if (wasWelcomed) {
                parties.forEach(Party::lost);
            }
            if (closed) {
                return;
            }
            if (wasWelcomed) {
                log.warn("Lost the gateway {}: {}; reconnecting", uri, reason);
            } else {
                log.info("No connection to the gateway {}: {}", uri, reason);
            }
            reconnectLater();
        }

        void close() {
            if (close("agent shutting down")) {
                welcomed = false;
            }
        }
    }
}
