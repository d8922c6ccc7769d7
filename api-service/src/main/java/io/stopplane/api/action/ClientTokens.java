package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * RunCommand's ClientToken: the same token with the same parameters gives the invocation it created the first time;
 * with other parameters, 403 IdempotentParameterMismatch. Tokens are the caller account's own. The invocations it
 * looks in are the view's, which holds both what the dispatcher folded and what this instance just created, indexed by
 * account and token: a look-up costs the same however many invocations the view holds.
 *
 * <p>No lock is held, least of all through the publish: a creation first reserves its account and token with its
 * parameters, then looks in the view. A concurrent request with other parameters finds the reservation (or, once the
 * creation is in the view, the invocation) and is a mismatch; one with the same parameters goes ahead, and publishes
 * the same ids: a duplicate.
 *
 * <p>The ids of a creation with a token are not random: they are derived from the account, the token and the
 * parameters ({@link #ids}). A commit that timed out (its transaction coordinator died, say) may still have gone
 * through, and its invocation then shows up in the views only later; a retry before that, on this replica or any
 * other, publishes the same invoke id and command id again, a duplicate the fold and the agents drop (same invoke id,
 * same instance), never a second invocation that runs the command again. The parameters of a creation whose publish
 * failed are remembered here, so that a retry with other ones is still a mismatch on this replica.
 */
@Component
class ClientTokens {

    /** Unconfirmed creations kept at most: the oldest are forgotten first. */
    private static final int MAX_UNCONFIRMED = 10_000;

    /** The ids of a new invocation. */
    record Ids(InvokeId invokeId, CommandId commandId) {
    }

    private final InvocationView view;
    /** The parameters digest of each creation under way, by account and token. */
    private final Map<String, String> reserved = new ConcurrentHashMap<>();
    /** The parameters digest of each creation whose publish failed, by account and token; oldest first in order. */
    private final Map<String, String> unconfirmed = new ConcurrentHashMap<>();
    private final Queue<String> unconfirmedOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    ClientTokens(InvocationView view) {
        this.view = view;
    }

    InvocationState once(Caller caller, String token, String digest, Supplier<InvocationState> create) {
        if (token == null) {
            return create.get();
        }
        String key = key(caller, token);
        String underWay = reserved.putIfAbsent(key, digest);
        if (underWay != null && !digest.equals(underWay)) {
            throw new ApiException(ApiError.IDEMPOTENT_PARAMETER_MISMATCH);
        }
        try {
            Optional<InvocationState> earlier = view.byToken(caller == null ? null : caller.accountId(), token);
            if (earlier.isPresent()) {
                if (!digest.equals(earlier.get().parametersDigest())) {
                    throw new ApiException(ApiError.IDEMPOTENT_PARAMETER_MISMATCH);
                }
                confirmed(caller, token); // an unknown outcome that turned out committed
                return earlier.get();
            }
            if (!view.ready()) {
                throw new ApiException(ApiError.SERVICE_UNAVAILABLE); // the first request may not be read yet
            }
            String pending = unconfirmed.get(key);
            if (pending != null && !digest.equals(pending)) {
                throw new ApiException(ApiError.IDEMPOTENT_PARAMETER_MISMATCH);
            }
            return create.get();
        } finally {
            if (underWay == null) {
                reserved.remove(key, digest); // after the creation is in the view (or remembered as unconfirmed)
            }
        }
    }

    /**
     * The ids of a creation: random without a token; with one, the same for the same account, token and parameters on
     * every replica (the first 128 bits of a SHA-256, as hex, like the random ids).
     */
    static Ids ids(Caller caller, String token, String digest) {
        if (token == null) {
            return new Ids(InvokeId.random(), CommandId.random());
        }
        String hash = HexFormat.of().formatHex(sha256(key(caller, token) + "\0" + digest));
        return new Ids(InvokeId.of("t-" + hash.substring(0, 32)), CommandId.of("c-" + hash.substring(32)));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A creation with this token failed to publish: it may or may not have been committed. */
    void unconfirmed(Caller caller, String token, String digest) {
        if (token != null) {
            String key = key(caller, token);
            if (unconfirmed.put(key, digest) == null) {
                unconfirmedOrder.add(key);
                queued.incrementAndGet();
            }
            while (queued.get() > MAX_UNCONFIRMED) {
                String oldest = unconfirmedOrder.poll();
                if (oldest == null) {
                    break;
                }
                queued.decrementAndGet();
                unconfirmed.remove(oldest);
            }
        }
    }

    /** A creation with this token was committed: the view has it from now on. */
    void confirmed(Caller caller, String token) {
        if (token != null) {
            unconfirmed.remove(key(caller, token));
        }
    }

    private static String key(Caller caller, String token) {
        return (caller == null || caller.accountId() == null ? "" : caller.accountId()) + "\0" + token;
    }
}
