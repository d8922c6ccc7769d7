package io.stopplane.api.rpc;

import io.stopplane.api.auth.AccountThrottle;
import io.stopplane.api.auth.Authenticator;
import io.stopplane.api.auth.Principal;
import io.stopplane.api.auth.SignedRequest;
import io.stopplane.api.auth.SourceThrottle;
import io.stopplane.model.error.ApiError;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The checks every signed endpoint runs first, in the gateway's order: is the source address within its failures
 * ({@code Throttling}), who is calling (the signature; each failure is charged to the source), and is the account
 * within its rate ({@code Throttling.User}). One piece for the RPC endpoint and the console's live feed, so that no
 * path skips one of them.
 */
@Component
public class RequestGate {

    private final Optional<Authenticator> authenticator;
    private final AccountThrottle throttle;
    private final SourceThrottle sources;

    RequestGate(Optional<Authenticator> authenticator, AccountThrottle throttle, SourceThrottle sources) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.sources = sources;
    }

    /** @return the caller, or null in the no-auth mode (no signatures are checked there) */
    public Principal admit(RawRequest raw, String source) {
        Principal principal = authenticator.map(a -> authenticate(a, raw, source)).orElse(null);
        long retryAfter = throttle.tryAcquire(principal == null ? null : principal.accountId());
        if (retryAfter > 0) {
            throw new ThrottledException(ApiError.THROTTLING_USER, retryAfter);
        }
        return principal;
    }

    /** Before any signature work, a source over its failures is refused; each failure is charged to its source. */
    private Principal authenticate(Authenticator authenticator, RawRequest raw, String source) {
        long wait = sources.retryAfter(source);
        if (wait > 0) {
            throw new ThrottledException(ApiError.THROTTLING, wait);
        }
        try {
            return authenticator.authenticate(new SignedRequest(raw.method(), raw.path(), raw.params(), raw.query(),
                    raw.headers(), raw.body()));
        } catch (ApiException e) {
            sources.failed(source);
            throw e;
        }
    }
}
