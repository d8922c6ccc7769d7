package io.stopplane.api.rpc;

import io.stopplane.api.auth.Principal;
import io.stopplane.model.error.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** The RPC endpoint: {@code /}, GET or POST, query and form parameters merged, action from Action or x-acs-action. */
@RestController
class RpcController {

    static final String API_VERSION = "2014-05-26";
    static final String FORMAT_ATTRIBUTE = RpcController.class.getName() + ".format";
    static final String REQUEST_ID_ATTRIBUTE = RpcController.class.getName() + ".requestId";
    private static final Logger LOG = LoggerFactory.getLogger(RpcController.class);
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^,\\s]+)");

    private final Map<String, ActionHandler> handlers;
    private final ResponseWriter writer;
    private final RequestGate gate;
    private final RequestMetrics metrics;

    RpcController(List<ActionHandler> handlers, ResponseWriter writer, RequestGate gate, RequestMetrics metrics) {
        this.handlers = handlers.stream().collect(Collectors.toMap(ActionHandler::action, Function.identity()));
        this.writer = writer;
        this.gate = gate;
        this.metrics = metrics;
    }

    @RequestMapping(path = "/", method = {RequestMethod.GET, RequestMethod.POST})
    ResponseEntity<String> call(HttpServletRequest http) {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        http.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        MDC.put("requestId", requestId);
        try {
            RawRequest raw = RawRequest.read(http);
            Map<String, String> params = raw.params();
            ResponseFormat format = ResponseFormat.of(params);
            http.setAttribute(FORMAT_ATTRIBUTE, format);
            String action = params.getOrDefault("Action", raw.headers().get("x-acs-action"));
            // counted under its action from here on, whatever check refuses it
            http.setAttribute(RequestMetrics.ACTION_ATTRIBUTE,
                    handlers.containsKey(action) ? action : RequestMetrics.UNKNOWN_ACTION);
            // The gateway's checks come first: is the source address within its failures, who is calling, and are
            // they within their rate.
            Principal principal = gate.admit(raw, http.getRemoteAddr());
            if (action == null || action.isEmpty()) {
                throw new ApiException(ApiError.MISSING_PARAMETER, "Action");
            }
            String version = params.getOrDefault("Version", raw.headers().get("x-acs-version"));
            if (version != null && !version.isEmpty() && !API_VERSION.equals(version)) {
                throw new ApiException(ApiError.INVALID_VERSION);
            }
            ActionHandler handler = handlers.get(action);
            if (handler == null) {
                throw new ApiException(ApiError.INVALID_API);
            }
            RpcRequest request = new RpcRequest(action, params, requestId, http.getRemoteAddr(),
                    raw.headers().get("host"), accessKeyId(params, raw.headers().get("authorization")),
                    raw.headers().get("user-agent"), principal);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("RequestId", requestId);
            body.putAll(handler.handle(request));
            LOG.info("action={} status=200", action);
            metrics.count(http, RequestMetrics.OK);
            return writer.write(200, action + "Response", body, format, requestId);
        } finally {
            MDC.remove("requestId");
        }
    }

    /** The key a V1 request names in {@code AccessKeyId}, or a V3 request in its Authorization's Credential. */
    private static String accessKeyId(Map<String, String> params, String authorization) {
        String v1 = params.get("AccessKeyId");
        if (v1 != null && !v1.isEmpty()) {
            return v1;
        }
        if (authorization == null) {
            return null;
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? m.group(1) : null;
    }
}
