package io.stopplane.api.rpc;

import io.stopplane.model.error.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The one place errors become Alibaba error bodies. A 500 never carries a stack trace or a class name. */
@RestControllerAdvice(assignableTypes = {RpcController.class, RpcEndpoint.class})
class ApiErrorAdvice {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorAdvice.class);

    private final ResponseWriter writer;
    private final RequestMetrics metrics;

    ApiErrorAdvice(ResponseWriter writer, RequestMetrics metrics) {
        this.writer = writer;
        this.metrics = metrics;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<String> apiError(ApiException e, HttpServletRequest http) {
        // the controller's MDC entry is gone by now: put it back for the structured logs
        try (MDC.MDCCloseable ignored = MDC.putCloseable("requestId", requestId(http))) {
            // Only the code above DEBUG: a message may quote what the client sent (SignatureDoesNotMatch returns the
            // whole string to sign, CommandContent included), and that is the client's to read, not the log's.
            if (e.error().httpStatus() >= 500) {
                LOG.error("requestId={} {}", requestId(http), e.error().code(), e.getCause());
            } else {
                LOG.info("requestId={} {}", requestId(http), e.error().code());
            }
            LOG.debug("requestId={} {} {}", requestId(http), e.error().code(), e.getMessage());
        }
        metrics.count(http, e.error().code());
        ResponseEntity<String> response = render(e.error(), e.getMessage(), http);
        if (e instanceof ThrottledException t) {
            return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                    .header("x-acs-retry-after", String.valueOf(t.retryAfterMillis())).body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e, HttpServletRequest http) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("requestId", requestId(http))) {
            LOG.error("requestId={} unexpected failure", requestId(http), e);
        }
        metrics.count(http, ApiError.INTERNAL_ERROR.code());
        return render(ApiError.INTERNAL_ERROR, ApiError.INTERNAL_ERROR.message(), http);
    }

    private ResponseEntity<String> render(ApiError error, String message, HttpServletRequest http) {
        String requestId = requestId(http);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RequestId", requestId);
        body.put("HostId", hostId(http));
        body.put("Code", error.code());
        body.put("Message", message);
        body.put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + error.code() + "&product=Ecs&requestId="
                + requestId);
        Object format = http.getAttribute(RpcController.FORMAT_ATTRIBUTE);
        return writer.write(error.httpStatus(), "Error", body,
                format instanceof ResponseFormat f ? f : ResponseFormat.JSON, requestId);
    }

    private static String requestId(HttpServletRequest http) {
        Object id = http.getAttribute(RpcController.REQUEST_ID_ATTRIBUTE);
        if (id == null) {
            id = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            http.setAttribute(RpcController.REQUEST_ID_ATTRIBUTE, id);
        }
        return id.toString();
    }

    private static String hostId(HttpServletRequest http) {
        String host = http.getHeader("host");
        return host == null ? "ecs.aliyuncs.com" : host;
    }
}
