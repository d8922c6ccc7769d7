package io.stopplane.gateway.connect;

import io.stopplane.gateway.delivery.Pending;
import io.stopplane.gateway.liveness.Liveness;
import io.stopplane.gateway.report.Refusal;
import io.stopplane.gateway.report.ReportCheck;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.id.InstanceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One agent connection: challenge, hello, welcome with the pending batch, then pushes and checked reports. Its frames
 * out go through one sink, emitted under this object's lock (by the socket's thread, the command feed's, the
 * producer's), so a push never overtakes the welcome batch. A protocol error sends an {@code error} frame and closes;
 * a refused report sends {@code refused} and changes nothing. Logs carry ids, never outputs or command content.
 */
final class Connection implements Pending.Subscriber {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final int BACKLOG = 1024;

    private final ConnectionServices services;
    private final String remoteAddress;
    private final Handshake handshake;
    /** Gives back this connection's place among the handshakes in flight ({@link HandshakeGate}); idempotent. */
    private final Runnable handshakeOver;
    /** Frames not yet written to the socket; an agent that reads none of {@link #BACKLOG} is dropped (see emit). */
    private final Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(BACKLOG).get());
    private boolean closed;
    private boolean helloSeen;
    private CloseStatus closeStatus = CloseStatus.NORMAL;
    private volatile List<InstanceId> proven = List.of();
    private volatile Set<InstanceId> provenSet = Set.of();
    private Liveness.Claims claims;

    Connection(ConnectionServices services, String remoteAddress, Runnable handshakeOver) {
        this.services = services;
        this.remoteAddress = remoteAddress;
        this.handshakeOver = handshakeOver;
        this.handshake = new Handshake(services.props().id());
    }

    Flux<String> outbound() {
        return out.asFlux();
    }

    synchronized CloseStatus closeStatus() {
        return closeStatus;
    }

    void open() {
        services.sessions().opened(this);
        emit(Frames.write(handshake.challenge()));
    }

    void onText(String text, Instant receivedAt) {
        Frames.Inbound frame = Frames.parse(text);
        if (frame instanceof Frames.InHello h) {
            onHello(h.hello());
        } else if (frame instanceof Frames.InReport r) {
            onReport(r, receivedAt);
        } else if (frame instanceof Frames.Garbage g) {
            fail("Frame.Unreadable", g.why(), true);
        }
    }

    private void onHello(Frames.Hello hello) {
        synchronized (this) {
            if (helloSeen) {
                fail("Hello.Duplicate", "a connection sends one hello", true);
                return;
            }
            helloSeen = true;
        }
        if (!services.ready()) {
            fail("Gateway.Starting", "the gateway is still reading its topics; connect again shortly", false);
            return;
        }
        Handshake.Verdict verdict = handshake.check(hello, services.registry(), services.props().maxInstancesPerConnection());
        if (!verdict.accepted()) {
            fail(verdict.code(), verdict.message(), true);
            return;
        }
        welcome(verdict.proven(), new Liveness.Claims(hello.agentVersion(), hello.hostname(), hello.bootId()), hello.killMethod());
    }

    private void welcome(List<InstanceId> ids, Liveness.Claims agentClaims, String killMethod) {
        List<Connection> superseded = new ArrayList<>();
        int pendingCount;
        synchronized (this) {
            if (closed) {
                return;
            }
            proven = ids;
            provenSet = Set.copyOf(ids);
            claims = agentClaims;
            emit(Frames.write(new Frames.Welcome(ids)));
            List<InstanceCommand> batch = new ArrayList<>();
            for (InstanceId id : ids) {
                Connection older = services.sessions().attach(id, this);
                if (older != null) {
                    superseded.add(older);
                }
                batch.addAll(services.pending().subscribe(id, this));
            }
            emit(Frames.write(new Frames.Commands(batch)));
            pendingCount = batch.size();
        }
        handshakeOver.run();
        log.info("welcome {} from {} (kill method {}): {} pending commands", ids, remoteAddress, killMethod,
                pendingCount);
        services.liveness().connected(ids, agentClaims);
        superseded.forEach(c -> c.fail("Connection.Superseded", "a newer connection proved the same instance", false));
        // a deregistration read between the check and the attach would have found no holder to close
        ids.stream().filter(id -> services.registry().instance(id).map(r -> r.deregistered()).orElse(true))
                .findFirst().ifPresent(this::revoke);
    }

    private void onReport(Frames.InReport frame, Instant receivedAt) {
        if (proven.isEmpty()) {
            fail("Hello.Expected", "prove your instances with a hello before reporting", true);
            return;
        }
        Optional<Refusal> refusal = frame.report() == null
                ? Optional.of(new Refusal("Report.Invalid", "the report's fields are not as the protocol says"))
                : ReportCheck.check(frame.report(), provenSet, services.pending());
        if (refusal.isPresent()) {
            Refusal r = refusal.get();
            services.refusals().count(r.code());
            log.warn("refused a report from {} ({}): {}", proven, remoteAddress, r.code());
            emit(Frames.write(new Frames.Refused(frame.id(), r.code(), r.message())));
            return;
        }
        services.reports().write(frame.report(), remoteAddress, receivedAt).whenComplete((ok, error) -> {
            if (error == null) {
                emit(Frames.write(new Frames.Ack(frame.id())));
            } else {
                // not acked: the agent sends it again (a repeat is checked and written like the first)
                log.warn("report of {} for {} not written: {}", frame.report().instanceId(),
                        frame.report().invokeId(), error.toString());
            }
        });
    }

    @Override
    public void push(List<InstanceCommand> commands) {
        emit(Frames.write(new Frames.Commands(commands)));
    }

    void revoke(InstanceId id) {
        fail("Instance.Deregistered", id + " is deregistered: it can never connect again", true);
    }

    void helloTimedOut() {
        if (proven.isEmpty()) {
            fail("Hello.Timeout", "no valid hello within " + services.props().helloTimeout().toSeconds() + " s", true);
        }
    }

    /** The socket failed: a frame over the cap (the codec's aggregation refused it), or the transport broke. */
    void onTransportError(Throwable e) {
        if (TooLarge.is(e)) {
            tooLarge();
        } else {
            log.debug("connection from {} failed: {}", remoteAddress, e.toString());
            end();
        }
    }

    void tooLarge() {
        fail("Frame.TooLarge", "frames are at most " + services.props().maxFrameBytes() + " bytes", true);
    }

    /** Sends an error frame, then the socket closes. */
    void fail(String code, String message, boolean counted) {
        synchronized (this) {
            if (closed) {
                return;
            }
            emit(Frames.write(new Frames.Error(code, message)));
            closeStatus = code.startsWith("Frame.") ? CloseStatus.POLICY_VIOLATION.withReason(code)
                    : new CloseStatus(4000, code);
            closed = true;
            out.tryEmitComplete();
        }
        if (counted) {
            services.refusals().count(code);
        }
        log.info("closing the connection of {} from {}: {}", proven.isEmpty() ? "no proven instance" : proven,
                remoteAddress, code);
    }

    /** The agent went (or its socket did): nothing more goes out. */
    synchronized void end() {
        if (!closed) {
            closed = true;
            out.tryEmitComplete();
        }
    }

    /** After the socket closed: this connection no longer holds its instances. */
    void detach() {
        handshakeOver.run();
        services.sessions().closed(this);
        List<InstanceId> ids = proven;
        for (InstanceId id : ids) {
            services.pending().unsubscribe(id, this);
            services.sessions().detach(id, this);
        }
        Liveness.Claims c;
        synchronized (this) {
            c = claims;
        }
        if (c != null) {
            services.liveness().disconnected(ids, c);
        }
    }

    private synchronized void emit(String frame) {
        if (!closed && out.tryEmitNext(frame) == Sinks.EmitResult.FAIL_OVERFLOW) {
            // An agent that stopped reading must not hold the gateway's memory: drop it. What it missed is still
            // pending and comes in its next welcome batch.
            closed = true;
            out.tryEmitComplete();
            services.refusals().count("Connection.TooSlow");
            log.warn("closing the connection of {} from {}: {} frames unread", proven, remoteAddress, BACKLOG);
        }
    }
}
