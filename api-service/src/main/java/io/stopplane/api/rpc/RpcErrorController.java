package io.stopplane.api.rpc;

import io.stopplane.model.error.ApiError;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * What the container reports outside the RPC controller (an unknown path, a method other than GET or POST, a request
 * it could not hand over) also comes in the Alibaba error shape, never as a white-label page.
 */
@Controller
class RpcErrorController implements ErrorController {

    private final ApiErrorAdvice advice;

    RpcErrorController(ApiErrorAdvice advice) {
        this.advice = advice;
    }

    @RequestMapping("/error")
    ResponseEntity<String> error(HttpServletRequest http) {
        Object code = http.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return advice.apiError(refusal(code instanceof Integer i ? i : 500), http);
    }

    /**
     * The Alibaba error for a status the container chose: no such API for an unknown path or method (404, 405, and 501
     * for a method Tomcat does not implement), a malformed request for any other 4xx and for 505 (an HTTP version it
     * does not speak: the client's doing, so not a 5xx); InternalError only for the container's own failures.
     */
    static ApiException refusal(int status) {
        if (status == 404 || status == 405 || status == 501) {
            return new ApiException(ApiError.INVALID_API);
        }
        if (status >= 400 && status < 500 || status == 505) {
            return new ApiException(ApiError.INVALID_PARAMETER, "request", "The request is malformed.");
        }
        return new ApiException(ApiError.INTERNAL_ERROR);
    }
}
