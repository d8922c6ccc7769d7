package io.stopplane.api.rpc;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts {@link AlibabaErrorReportValve} in the place of the host's error report valve of the API's Tomcat. Set before the
 * host starts: the host then finds a valve of its error report class in its pipeline and adds no other.
 */
@Component
class ErrorReportConfig implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final ApiErrorAdvice advice;

    ErrorReportConfig(ApiErrorAdvice advice) {
        this.advice = advice;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            StandardHost host = (StandardHost) context.getParent();
            host.setErrorReportValveClass(AlibabaErrorReportValve.class.getName());
            host.getPipeline().addValve(new AlibabaErrorReportValve(advice));
        });
    }
}
