package io.stopplane.api.rpc;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.ResponseEntity;

/**
 * Tomcat's error report, in the Alibaba shape. Tomcat refuses some requests before any servlet sees them (a request line
 * with {@code |}, {@code {}, {@code ^}, {@code <} or a stray {@code %}, headers it cannot parse or that are too large, a
 * method it does not know): it then runs the host's error report valve, which would write its HTML page. This one, in
 * its place, writes what {@link ApiErrorAdvice} writes for the status Tomcat chose (see
 * {@link RpcErrorController#refusal}): logged by code only, counted, never a 5xx for the client's mistake.
 */
final class AlibabaErrorReportValve extends ErrorReportValve {

    private final ApiErrorAdvice advice;

    AlibabaErrorReportValve(ApiErrorAdvice advice) {
        this.advice = advice;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's own: nothing below 400, nothing once a body was written (the application answered)
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ResponseEntity<String> answer = advice.apiError(RpcErrorController.refusal(status), request);
        try {
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.setHeader(name, v)));
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(answer.getBody());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body any more: nothing left to tell it
        }
    }
}
