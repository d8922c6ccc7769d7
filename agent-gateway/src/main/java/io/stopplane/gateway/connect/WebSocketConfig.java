package io.stopplane.gateway.connect;

import io.stopplane.gateway.config.GatewayProperties;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.core.publisher.Hooks;
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
    WebSocketHandlerAdapter webSocketHandlerAdapter(GatewayProperties props) {
        return new WebSocketHandlerAdapter(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(props.maxFrameBytes()))));
    }
}
