package io.stopplane.gateway.connect;

import io.stopplane.gateway.config.GatewayProperties;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket endpoint, with Reactor Netty's frame cap at the gateway's: a frame whose header announces more is
 * refused by the codec before its payload is read (a 1009 close), and fragments are aggregated only up to the cap.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfig {

    static final String PATH = "/agent/v1/connect";
    private static final Logger log = LoggerFactory.getLogger(WebSocketConfig.class);

    WebSocketConfig() {
        // An oversized message makes Netty's aggregator fail again for each fragment still arriving after the
        // connection has answered the first with Frame.TooLarge: Reactor drops those, and by default logs each at
        // ERROR with a stack trace, which a client could repeat at will. They were counted and answered once.
        Hooks.onErrorDropped(e -> {
            if (TooLarge.is(e)) {
                log.debug("dropped after Frame.TooLarge: {}", e.toString());
            } else {
                log.warn("error after its subscriber was gone: {}", e.toString());
            }
        });
    }

    @Bean
    HandlerMapping agentSocketMapping(ConnectionServices services) {
        return new SimpleUrlHandlerMapping(Map.of(PATH, new AgentSocketHandler(services)), -1);
    }

    @Bean
    WebSocketHandlerAdapter webSocketHandlerAdapter(GatewayProperties props, HandshakeGate gate) {
        GatedWebSocketService service = new GatedWebSocketService(gate, new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(props.maxFrameBytes())));
        return new WebSocketHandlerAdapter(service);
    }

    /**
     * Admits an upgrade only with a {@link HandshakeGate} permit, which the session carries to its connection as an
     * attribute; refused, the request is answered 503 {@code Gateway.Busy} with {@code Retry-After} and never upgraded.
     */
    static final class GatedWebSocketService extends HandshakeWebSocketService {

        static final String PERMIT = HandshakeGate.Permit.class.getName();
        private static final byte[] BUSY_BODY = ("{\"Code\":\"" + HandshakeGate.BUSY + "\",\"Message\":\"the gateway is "
                + "finishing other handshakes; connect again after a backoff\"}").getBytes(StandardCharsets.UTF_8);

        private final HandshakeGate gate;

        GatedWebSocketService(HandshakeGate gate, ReactorNettyRequestUpgradeStrategy strategy) {
            super(strategy);
            this.gate = gate;
        }

        @Override
        public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
            HandshakeGate.Permit permit = gate.tryEnter();
            if (permit == null) {
                ServerHttpResponse response = exchange.getResponse();
                response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
                response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                return response.writeWith(Mono.just(response.bufferFactory().wrap(BUSY_BODY)));
            }
            // not upgraded (not a WebSocket request, a bad header): no connection will release it
            return super.handleRequest(exchange, session -> {
                session.getAttributes().put(PERMIT, permit);
                return handler.handle(session);
            }).doOnError(e -> permit.release());
        }
    }
}
