package io.stopplane.api.console;

import io.stopplane.api.auth.Principal;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * GetCallerIdentity (as in Alibaba's STS, and like it callable by every valid key, since it tells a key only about
 * itself): the account and key a signed request resolved to, and which of the API's actions that key may call. The
 * console signs in with it and hides what the key may not do; the API still refuses it if the page is forged.
 */
@Component
class GetCallerIdentityAction implements ActionHandler {

    private final ObjectProvider<ActionHandler> handlers;

    GetCallerIdentityAction(ObjectProvider<ActionHandler> handlers) {
        this.handlers = handlers;
    }

    @Override
    public String action() {
        return "GetCallerIdentity";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        Principal principal = request.principal() == null ? Principal.ANONYMOUS : request.principal();
        // itself included: every valid key may call it (the provider leaves the asking bean out)
        List<String> actions = Stream.concat(Stream.of(action()),
                handlers.orderedStream().map(ActionHandler::action).filter(principal::may)).distinct().sorted().toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AccountId", principal.accountId() == null ? "" : principal.accountId());
        body.put("AccessKeyId", principal.accessKeyId() == null ? "" : principal.accessKeyId());
        body.put("IdentityType", request.principal() == null ? "Anonymous" : "Account");
        body.put("Actions", Map.of("Action", actions));
        return body;
    }
}
