package io.stopplane.api.console;

import io.stopplane.api.auth.Principal;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RawRequest;
import io.stopplane.api.rpc.RpcEndpoint;
import io.stopplane.api.rpc.RequestGate;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /console/events}: the live feed as server-sent events. The request is checked as an RPC call is: signed
 * (V3 headers, so the console opens it with {@code fetch()} rather than EventSource, which cannot send headers; or V1
 * in the query string, for curl), within the account's rate, and by a key allowed {@code DescribeInvocations}; it
 * streams only the caller's own invocations. See docs/console.md.
 */
@RestController
class FeedController implements RpcEndpoint {

    static final String PERMISSION = "DescribeInvocations";

    private final RequestGate gate;
    private final InvocationFeed feed;

    FeedController(RequestGate gate, InvocationFeed feed) {
        this.gate = gate;
        this.feed = feed;
    }

    @GetMapping("/console/events")
    SseEmitter events(HttpServletRequest http) {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        RawRequest raw = RawRequest.read(http);
        Principal principal = Optional.ofNullable(gate.admit(raw, http.getRemoteAddr())).orElse(Principal.ANONYMOUS);
        if (!principal.may(PERMISSION)) {
            throw new ApiException(ApiError.OPERATION_FORBIDDEN);
        }
        String region = raw.params().get("RegionId");
        Caller caller = new Caller(principal.accountId(), principal.accessKeyId(), http.getRemoteAddr(), requestId,
                raw.headers().get("user-agent"));
        return feed.open(caller, region == null || region.isEmpty() ? null : region);
    }
}
