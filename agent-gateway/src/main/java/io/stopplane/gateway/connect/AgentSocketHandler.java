package io.stopplane.gateway.connect;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * {@code /agent/v1/connect}: one {@link Connection} per socket, on Reactor Netty's event loops (no thread per
 * connection). Outbound frames flow from the connection's sink; when it completes (an error frame, or the agent gone)
 * the socket is closed with the connection's close status.
 */
class AgentSocketHandler implements WebSocketHandler {

    private final ConnectionServices services;

    AgentSocketHandler(ConnectionServices services) {
        this.services = services;
    }

    @Override
    public Mono<Void> handle(WebSocketSession ws) {
        InetSocketAddress remote = ws.getHandshakeInfo().getRemoteAddress();
        Object permit = ws.getAttributes().get(WebSocketConfig.GatedWebSocketService.PERMIT);
        Connection c = new Connection(services, remote == null ? "unknown" : remote.getAddress().getHostAddress(),
                permit instanceof HandshakeGate.Permit p ? p::release : () -> { });
        int cap = services.props().maxFrameBytes();
        Mono<Void> outbound = ws.send(c.outbound().map(ws::textMessage))
                .then(Mono.defer(() -> ws.close(c.closeStatus())));
        Mono<Void> inbound = ws.receive()
                .doOnNext(m -> {
                    // pings and pongs are Netty's business; an agent's frames are text
                    if (m.getType() == WebSocketMessage.Type.BINARY) {
                        c.fail("Frame.Unreadable", "frames are text: one JSON object each", true);
                    } else if (m.getType() == WebSocketMessage.Type.TEXT) {
                        if (m.getPayload().readableByteCount() > cap) {
                            c.tooLarge();
                        } else {
                            c.onText(m.getPayloadAsText(), Instant.now());
                        }
                    }
                })
                .onErrorResume(e -> {
                    c.onTransportError(e);
                    return Mono.empty();
                })
                .doFinally(signal -> c.end())
                .then();
        Disposable helloTimer = Mono.delay(services.props().helloTimeout()).subscribe(x -> c.helloTimedOut());
        c.open();
        return Mono.when(inbound, outbound).doFinally(signal -> {
            helloTimer.dispose();
            c.detach();
        });
    }
}
