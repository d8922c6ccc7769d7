package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.state.InvocationState;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * RunCommand's ClientToken: the same token with the same parameters gives the invocation it created the first time;
 * with other parameters, 403 IdempotentParameterMismatch. Tokens are the caller account's own. The invocations it
 * searches are the view's, which holds both what the dispatcher folded and what this instance just created; requests
 * with the same token are serialised here so that two concurrent retries create one invocation. (Two API replicas
 * receiving the same token at the same instant can still both create: the view is per replica.)
 */
@Component
class ClientTokens {

    private static final int STRIPES = 64;

    private final InvocationView view;
    private final Object[] locks = new Object[STRIPES];

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
                return earlier.get();
            }
            if (!view.ready()) {
                throw new ApiException(ApiError.SERVICE_UNAVAILABLE); // the first request may not be read yet
            }
            return create.get();
        }
    }

    private Optional<InvocationState> find(Caller caller, String token) {
        return view.all().stream()
                .filter(s -> token.equals(s.clientToken()) && Ownership.visible(caller, s.ownerAccountId()))
                .findFirst();
    }
}
