package io.stopplane.api.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Without signature checks anyone who can reach the port can kill processes: then listen on loopback only. */
@Component
class LoopbackGuard implements InitializingBean {

    private final ApiProperties props;
    private final String address;

    LoopbackGuard(ApiProperties props, @Value("${server.address:}") String address) {
        this.props = props;
        this.address = address;
    }

    @Override
    public void afterPropertiesSet() throws UnknownHostException {
        if (!"none".equalsIgnoreCase(props.authMode())) {
            return;
        }
        if (address == null || address.isBlank() || !InetAddress.getByName(address).isLoopbackAddress()) {
            throw new IllegalStateException("stopplane.api.auth-mode=none only listens on a loopback address, but"
                    + " server.address is '" + address + "'");
        }
    }
}
