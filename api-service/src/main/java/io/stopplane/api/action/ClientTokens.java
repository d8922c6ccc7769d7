package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * RunCommand's ClientToken: the same token with the same parameters gives the invocation it created the first time;
 * with other parameters, 403 IdempotentParameterMismatch. Tokens are the caller account's own. The invocations it
 * searches are the view's, which holds both what the dispatcher folded and what this instance just created; requests
 * with the same token are serialised here so that two concurrent retries create one invocation. (Two API replicas
 * receiving the same token at the same instant can still both create: the view is per replica.)
 *
 * <p>A creation whose publish failed is remembered as {@link Unconfirmed}: a commit that timed out (its transaction
 * coordinator died, say) may still have gone through, and its invocation then shows up in the view only later. A retry
 * with the token before that reuses the same invoke id and command id, so that if both commits went through the second
 * is a duplicate the fold and the agents drop (same invoke id, same instance), never a second invocation that runs the
 * command again.
 */
@Component
class ClientTokens {

    private static final int STRIPES = 64;
    /** Unconfirmed creations kept at most: the oldest are forgotten first. */
    private static final int MAX_UNCONFIRMED = 10_000;

    /** The ids a creation with an unknown outcome used, and the parameters it was asked with. */
    record Unconfirmed(InvokeId invokeId, CommandId commandId, String digest) {
    }

    private final InvocationView view;
    private final Object[] locks = new Object[STRIPES];
    private final Map<String, Unconfirmed> unconfirmed = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Unconfirmed> eldest) {
            return size() > MAX_UNCONFIRMED;
        }
    };

    ClientTokens(InvocationView view) {
        this.view = view;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    InvocationState once(Caller caller, String token, String digest, Supplier<InvocationState> create) {
        if (token == null) {
            return create.get();
        }
        synchronized (locks[Math.floorMod(token.hashCode(), STRIPES)]) {
            Optional<InvocationState> earlier = find(caller, token);
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
            Optional<Unconfirmed> pending = unconfirmed(caller, token);
            if (pending.isPresent() && !digest.equals(pending.get().digest())) {
                throw new ApiException(ApiError.IDEMPOTENT_PARAMETER_MISMATCH);
            }
            return create.get();
        }
    }

    /** The ids of an earlier creation with this token whose outcome is unknown (called under the token's lock). */
    Optional<Unconfirmed> unconfirmed(Caller caller, String token) {
        if (token == null) {
            return Optional.empty();
        }
        synchronized (unconfirmed) {
            return Optional.ofNullable(unconfirmed.get(key(caller, token)));
        }
    }

    /** A creation with this token failed to publish: it may or may not have been committed. */
    void unconfirmed(Caller caller, String token, Unconfirmed attempt) {
        if (token != null) {
            synchronized (unconfirmed) {
                unconfirmed.put(key(caller, token), attempt);
            }
        }
    }

    /** A creation with this token was committed: the view has it from now on. */
    void confirmed(Caller caller, String token) {
        if (token != null) {
            synchronized (unconfirmed) {
                unconfirmed.remove(key(caller, token));
            }
        }
    }

    private static String key(Caller caller, String token) {
        return (caller == null || caller.accountId() == null ? "" : caller.accountId()) + "\0" + token;
    }

    private Optional<InvocationState> find(Caller caller, String token) {
        return view.all().stream()
                .filter(s -> token.equals(s.clientToken()) && Ownership.visible(caller, s.ownerAccountId()))
                .findFirst();
    }
}
