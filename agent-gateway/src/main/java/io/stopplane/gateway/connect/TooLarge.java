package io.stopplane.gateway.connect;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/** Whether a socket failure is Netty refusing a message over the cap (one frame, or fragments added up). */
final class TooLarge {

    private TooLarge() {
    }

    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLongFrameException) {
                return true;
            }
            if (t instanceof CorruptedWebSocketFrameException c
                    && WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(c.closeStatus())) {
                return true;
            }
        }
        return false;
    }
}
