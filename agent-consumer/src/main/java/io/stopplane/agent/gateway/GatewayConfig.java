package io.stopplane.agent.gateway;

import io.stopplane.agent.AgentApplication;
import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.HostedInstances;
import io.stopplane.model.agent.AgentRegistrar;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The agent's identities, established before anything that is kept per instance (the journal) is built. */
@Configuration(proxyBeanMethods = false)
class GatewayConfig {

    static final String VERSION = Optional.ofNullable(AgentApplication.class.getPackage().getImplementationVersion())
            .orElse("dev");

    @Bean
    AgentHost agentHost(
            @Value("${stopplane.agent.boot-id-file:/proc/sys/kernel/random/boot_id}") Path bootIdFile) {
        return new AgentHost(hostname(), VERSION, BootIdFile.read(bootIdFile));
    }

    @Bean
    Identities identities(AgentProperties agent, GatewayProperties gateway, AgentHost host) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AgentRegistrar registrar = new AgentRegistrar(gateway.http("/agent/v1/register"), http, host.hostname(),
                host.version());
        return Identities.establish(new IdentityStore(agent.identityDir()), gateway.instanceCount(),
                Activation.of(gateway), registrar);
    }

    @Bean
    HostedInstances hostedInstances(Identities identities) {
        return new HostedInstances(identities.instanceIds());
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
        }
    }

    /**
     * What the agent says of itself in registration and hello: its hostname and version are informational; its boot id
     * ({@link BootIdFile}) is what the reboot-mode invocations run on.
     */
    record AgentHost(String hostname, String version, String bootId) {
    }
}
