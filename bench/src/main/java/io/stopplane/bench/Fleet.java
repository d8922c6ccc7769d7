package io.stopplane.bench;

import io.stopplane.model.agent.AgentFrames;
import io.stopplane.model.agent.AgentKeys;
import io.stopplane.model.agent.AgentRegistrar;
import io.stopplane.model.agent.AgentSocket;
import io.stopplane.model.agent.Backoff;
import io.stopplane.model.json.StopPlaneJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;

/**
 * Simulated agents, many in this one JVM, speaking the agent's protocol with the agent's own pieces
 * ({@link AgentRegistrar}, {@link AgentKeys}, {@link AgentFrames}, {@link Backoff}): each registers once with an
 * activation and a key pair of its own, then holds one WebSocket to the gateway (challenge, signed hello, welcome),
 * pings it as the agent does, answers a {@code RunCommand} by reporting {@code Running} and a {@code StopCommand} by
 * reporting {@code Terminated} at once, and when it loses the connection opens it again with the agent's backoff and
 * jitter. No thread per agent: the JDK WebSocket is asynchronous; a few clients (one selector thread each) and a small
 * pool carry them all.
 */
final class Fleet implements AutoCloseable {

    /** The real agent's cadence (GatewayLink): a ping every 10 s, and a connection silent for 30 s is dropped. */
    static final Duration PING = Duration.ofSeconds(10);
    static final Duration SILENCE = Duration.ofSeconds(30);
    static final int AGENTS_PER_CLIENT = 2500;

    private final URI connect;
    private final List<HttpClient> clients = new ArrayList<>();
    private final ExecutorService io;
    private final ScheduledExecutorService timers;
    private final List<Agent> agents = new ArrayList<>();
    private final AtomicInteger welcomed = new AtomicInteger();
    final LongAdder welcomes = new LongAdder();
    final LongAdder losses = new LongAdder();
    final LongAdder reports = new LongAdder();
    final LongAdder acks = new LongAdder();
    final LongAdder refused = new LongAdder();
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    /** invokeId → nanoTime when its StopCommand reached a simulated agent (the first time). */
    final Map<String, Long> stopArrived = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param gateway the gateway's base URL, {@code http://host:port} */
    Fleet(URI gateway, int size) {
        this.connect = URI.create(gateway.toString().replaceFirst("^http", "ws") + "/agent/v1/connect");
        this.io = Executors.newFixedThreadPool(4, daemon("fleet-io"));
        this.timers = Executors.newScheduledThreadPool(2, daemon("fleet-timer"));
        for (int i = 0; i < Math.max(1, (size + AGENTS_PER_CLIENT - 1) / AGENTS_PER_CLIENT); i++) {
            clients.add(HttpClient.newBuilder().executor(io).connectTimeout(Duration.ofSeconds(10)).build());
        }
        // from the first connection on, as the agent: a connection is judged silent only after pings went unanswered
        timers.scheduleWithFixedDelay(this::keepAlive, PING.toMillis(), PING.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One agent registered with {@code registrar}; it connects on {@link #connectAll}. */
    Agent register(AgentRegistrar registrar, String activationId, String activationCode) throws Exception {
        KeyPair keys = AgentKeys.generate();
        AgentRegistrar.Registered r = registrar.register(activationId, activationCode, keys);
        synchronized (agents) {
            Agent a = new Agent(agents.size(), r.instanceId().value(), keys);
            agents.add(a);
            return a;
        }
    }

    List<Agent> agents() {
        synchronized (agents) {
            return List.copyOf(agents);
        }
    }

    int size() {
        synchronized (agents) {
            return agents.size();
        }
    }

    /** How many are welcomed on a live connection now. */
    int connected() {
        return welcomed.get();
    }

    /** Opens every agent's connection, at most {@code inFlight} handshakes at a time; returns once all are asked. */
    void connectAll(int inFlight) throws InterruptedException {
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(inFlight);
        for (Agent a : agents()) {
            permits.acquire();
            a.firstConnect(permits::release);
        }
    }

    private void keepAlive() {
        for (Agent a : agents()) {
            a.keepAlive();
        }
    }

    /** The gateway's answer to an upgrade beyond its handshakes in flight: HTTP 503, before any frame. */
    static final String BUSY = "Gateway.Busy";

    private static boolean busy(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode() == 503;
            }
        }
        return false;
    }

    private void error(String code) {
        errors.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        for (Agent a : agents()) {
            a.abort();
        }
        io.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One simulated agent hosting one instance. */
    final class Agent {

        final String instanceId;
        private final int index;
        private final KeyPair keys;
        private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5),
                ThreadLocalRandom.current());
        private final Map<String, Boolean> stopped = new ConcurrentHashMap<>();
        private final AtomicLong reportIds = new AtomicLong();
        private volatile Session session;

        Agent(int index, String instanceId, KeyPair keys) {
            this.index = index;
            this.instanceId = instanceId;
            this.keys = keys;
        }

        void firstConnect(Runnable handshakeOver) {
            open(handshakeOver);
        }

        private void open(Runnable handshakeOver) {
            if (closed) {
                handshakeOver.run();
                return;
            }
            Session s = new Session(handshakeOver);
            session = s;
            clients.get(index % clients.size()).newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(connect, s).whenComplete((ws, error) -> {
                        if (error != null) {
                            if (busy(error)) {
                                error(BUSY);
                            }
                            s.lost("connect");
                        }
                    });
        }

        /** Welcomed on a live connection now. */
        boolean connected() {
            Session s = session;
            return s != null && s.isWelcomed && !s.isOver();
        }

        void keepAlive() {
            Session s = session;
            if (s != null) {
                s.keepAlive(SILENCE);
            }
        }

        void abort() {
            Session s = session;
            if (s != null) {
                s.abort();
            }
        }

        private void reconnectLater() {
            if (closed) {
                return;
            }
            try {
                timers.schedule(() -> open(() -> { }), backoff.next().toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }

        /** One connection, from its opening to its loss, as GatewayLink's session. */
        private final class Session extends AgentSocket {

            private final AtomicBoolean handshakeOver = new AtomicBoolean();
            private final Runnable onHandshakeOver;
            private volatile boolean isWelcomed;

            Session(Runnable onHandshakeOver) {
                this.onHandshakeOver = onHandshakeOver;
            }

            @Override
            protected void onFrame(String raw) {
                handle(raw);
            }

            private void handle(String raw) {
                JsonNode frame;
                try {
                    frame = StopPlaneJson.mapper().readTree(raw);
                } catch (RuntimeException e) {
                    error("unreadable frame");
                    lost("unreadable");
                    return;
                }
                switch (frame.path("type").asString("")) {
                    case "challenge" -> send(AgentFrames.hello("fleet-bench", "fleet-" + index, "process-group", null,
                            List.of(new AgentFrames.Proof(instanceId, AgentKeys.sign(keys.getPrivate(),
                                    frame.path("gatewayId").asString(""), frame.path("nonce").asString(""),
                                    instanceId)))));
                    case "welcome" -> {
                        isWelcomed = true;
                        backoff.reset();
                        welcomed.incrementAndGet();
                        welcomes.increment();
                        handshakeDone();
                    }
                    case "commands" -> commands(frame);
                    case "ack" -> acks.increment();
                    case "refused" -> {
                        refused.increment();
                        error("refused " + frame.path("code").asString(""));
                    }
                    case "error" -> error(frame.path("code").asString("error"));
                    default -> error("unexpected frame " + frame.path("type").asString(""));
                }
            }

            private void commands(JsonNode frame) {
                for (JsonNode c : frame.path("commands")) {
                    String invokeId = c.path("invokeId").asString("");
                    String type = c.path("type").asString("");
                    if ("StopCommand".equals(type)) {
                        stopArrived.putIfAbsent(invokeId, System.nanoTime());
                        stopped.put(invokeId, Boolean.TRUE);
                        report(invokeId, "Terminated");
                    } else if ("RunCommand".equals(type) && !stopped.containsKey(invokeId)) {
                        // a run delivered again after a reconnect is reported again: a duplicate the dispatcher ignores
                        report(invokeId, "Running");
                    }
                }
            }

            private void report(String invokeId, String status) {
                reports.increment();
                send(AgentFrames.report(Long.toString(reportIds.incrementAndGet()), new AgentFrames.Report(invokeId,
                        instanceId, status, null, null, null, null, 0,
                        Instant.now())));
            }

            private void handshakeDone() {
                if (handshakeOver.compareAndSet(false, true)) {
                    onHandshakeOver.run();
                }
            }

            @Override
            protected void onLost(String why) {
                handshakeDone();
                if (isWelcomed) {
                    isWelcomed = false;
                    welcomed.decrementAndGet();
                }
                losses.increment();
                reconnectLater();
            }
        }
    }
}
