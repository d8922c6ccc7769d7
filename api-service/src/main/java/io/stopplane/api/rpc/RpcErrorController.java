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
        int status = code instanceof Integer i ? i : 500;
        ApiException mapped;
        if (status == 404 || status == 405) {
            mapped = new ApiException(ApiError.INVALID_API);
        } else if (status >= 400 && status < 500) {
            mapped = new ApiException(ApiError.INVALID_PARAMETER, "request", "The request is malformed.");
        } else {
            mapped = new ApiException(ApiError.INTERNAL_ERROR);
        }
        return advice.apiError(mapped, http);
    }
}
