package io.stopplane.model.agent;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection of an agent to the gateway, from its opening to its loss, on the JDK's WebSocket: text frames
 * reassembled and handed on whole, one frame requested at a time, the time anything was last heard (pings and pongs
 * too), sends queued behind each other (the JDK allows one outstanding send), a keep-alive that gives the connection up
 * after a silence, and its end reported once however it comes. The agent's {@code GatewayLink} and the fleet bench's
 * simulated agents are its users: what the frames mean is theirs.
 */
public abstract class AgentSocket implements WebSocket.Listener {

    private final StringBuilder text = new StringBuilder();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile WebSocket ws;
    private volatile long heardAt = System.nanoTime();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    /** A whole text frame from the gateway. */
    protected abstract void onFrame(String frame);

    /** The connection is over, once, for {@code reason}; it is already aborted. */
    protected abstract void onLost(String reason);

    /** Whether the connection has ended (lost or closed). */
    public final boolean isOver() {
        return over.get();
    }

    /** Whether the WebSocket has opened. */
    public final boolean isOpen() {
        return ws != null;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        heardAt = System.nanoTime();
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        heardAt = System.nanoTime();
        text.append(data);
        if (last) {
            String frame = text.toString();
            text.setLength(0);
            onFrame(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        heardAt = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        heardAt = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        lost("closed by the gateway: " + statusCode + (reason.isEmpty() ? "" : " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost(rootCause(error));
    }

    /** Queues a text frame behind the ones before it; a failed send loses the connection. */
    public synchronized void send(String frame) {
        if (over.get()) {
            return;
        }
        sending = sending.handle((ok, error) -> null)
                .thenCompose(ignored -> ws.sendText(frame, true))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        lost("send failed: " + rootCause(error));
                    }
                });
    }

    /** Gives the connection up if nothing was heard for {@code silence}, else pings the gateway. */
    public synchronized void keepAlive(Duration silence) {
        if (over.get() || ws == null) {
            return;
        }
        if (System.nanoTime() - heardAt > silence.toNanos()) {
            lost("nothing heard for " + silence.toSeconds() + " s");
            return;
        }
        sending = sending.handle((ok, error) -> null).thenCompose(ignored -> ws.sendPing(ByteBuffer.allocate(0)));
    }

    /** Ends the connection for {@code reason} (once): it is aborted, then {@link #onLost} is told. */
    public final void lost(String reason) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        abortSocket();
        onLost(reason);
    }

    /** Ends the connection without telling {@link #onLost}: a close frame, then an abort within a second. */
    public final boolean close(String reason) {
        if (!over.compareAndSet(false, true)) {
            return false;
        }
        WebSocket w = ws;
        if (w != null) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, reason).orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((ok, error) -> w.abort());
        }
        return true;
    }

    /** Ends the connection at once, without telling {@link #onLost}. */
    public final void abort() {
        over.set(true);
        abortSocket();
    }

    /** The innermost cause's description: what went wrong, not how it was wrapped. */
    public static String rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }

    private void abortSocket() {
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
    }
}
