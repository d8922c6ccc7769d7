package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.e2e.ComposeFile.Mount;
import io.stopplane.e2e.ComposeFile.Port;
import io.stopplane.e2e.ComposeFile.Service;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml checked without Docker against the services' own configuration: a variable or property renamed in a
 * module, a port changed, a Dockerfile moved, and this fails. The Kafka side is {@link ComposeKafkaTest}.
 */
class ComposeFileTest {

    /**
     * Variables whose contract an issue has settled but that the module does not read yet, by module. Remove an entry once
     * the module's application.yml reads the variable: from then on a rename breaks this test like any other.
     */
    private static final Map<String, Set<String>> PENDING = Map.of(
            "api-service", Set.of("STOPPLANE_AUTH_CREDENTIALS")); // issue 4: the credentials file of signature mode

    /** Not StopPlane's own: Spring Boot's server binding, and the JVM flags the Dockerfiles' entrypoint passes on. */
    private static final Set<String> PLATFORM_VARIABLES = Set.of("SERVER_ADDRESS", "SERVER_PORT", "JAVA_OPTS", "TZ");

    private static final Pattern HEALTH_PORT = Pattern.compile(
            "(?:/dev/tcp/(?:127\\.0\\.0\\.1|localhost)/|https?://(?:127\\.0\\.0\\.1|localhost):)(\\d+)");

    private static ComposeStack stack;

    @BeforeAll
    static void load() throws IOException {
        stack = ComposeStack.load();
    }

    @Test
    void everyRunnableModuleIsBuiltAndRunsInTheStack() throws IOException {
        assertThat(stack.runnableModules()).isNotEmpty();
        for (Path module : stack.runnableModules()) {
            String name = module.getFileName().toString();
            assertThat(stack.appServicesOf(name)).as("services built from %s", name).isNotEmpty();
            for (Service service : stack.appServicesOf(name)) {
                assertThat(service.build().orElseThrow().args()).as("build arguments of %s", service.name())
                        .containsEntry("MODULE", name);
            }
        }
        assertThat(stack.appServicesOf("api-service")).as("api-service replicas").hasSizeGreaterThanOrEqualTo(2);
        assertThat(stack.appServicesOf("dispatcher")).as("dispatcher replicas").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyServiceHasAPinnedImageOrABuildWhoseDockerfileExists() throws IOException {
        Map<String, Path> contextOfImage = new HashMap<>();
        for (Service service : stack.compose().services().values()) {
            assertThat(service.image().isPresent() || service.build().isPresent())
                    .as("%s has an image or a build", service.name()).isTrue();
            if (service.build().isEmpty()) {
                assertThat(service.image().get()).as("image of %s", service.name())
                        .matches("[^:/]+(/[^:]+)*:[\\w][\\w.-]*").doesNotEndWith(":latest").doesNotStartWith("stopplane/");
                continue;
            }
            Path context = stack.compose().dir().resolve(service.build().get().context()).normalize();
            Path dockerfile = stack.compose().dir().resolve(service.build().get().dockerfile()).normalize();
            assertThat(dockerfile).as("Dockerfile of %s", service.name()).isRegularFile();
            assertThat(service.image()).as("image name of %s, shared by its replicas", service.name()).isPresent();
            Path other = contextOfImage.putIfAbsent(service.image().get(), context);
            assertThat(other == null ? context : other).as("build context of image %s", service.image().get())
                    .isEqualTo(context);
            if (stack.module(service) != null) {
                String docker = service.build().get().dockerfileText(stack.compose().dir());
                assertThat(docker).as("%s: a Spring Boot layered jar on a JRE, as a non-root user", dockerfile)
                        .containsPattern("(?m)^FROM eclipse-temurin:17-jre\\s*$")
                        .contains("-Djarmode=tools", "extract --layers --launcher")
                        .contains("COPY target/" + stack.module(service).name() + "-")
                        .containsPattern("(?m)^USER (?!root\\b)(?!0\\b)\\S+");
            }
        }
    }

    @Test
    void everyVariableAServiceSetsIsReadByTheServicesOwnConfiguration() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Service service : stack.appServices().values()) {
            ModuleConfig module = stack.module(service);
            String dockerfile = service.build().get().dockerfileText(stack.compose().dir());
            for (String variable : service.environment().keySet()) {
                if (variable.startsWith("STOPPLANE_")) {
                    if (module.readersOf(variable).isEmpty()
                            && !PENDING.getOrDefault(module.name(), Set.of()).contains(variable)) {
                        problems.add(service.name() + ": " + variable + " is read neither by " + module.name()
                                + "/src/main/resources/application.yml nor, by relaxed binding, as any property of "
                                + module.name() + " " + module.declaredProperties());
                    }
                } else if (!PLATFORM_VARIABLES.contains(variable)) {
                    problems.add(service.name() + ": " + variable + " is neither a StopPlane variable nor one of "
                            + PLATFORM_VARIABLES);
                } else if (variable.equals("JAVA_OPTS") && !dockerfile.contains("$JAVA_OPTS")) {
                    problems.add(service.name() + ": JAVA_OPTS is not used by its Dockerfile's entrypoint");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void servicesListenOnEveryInterfaceOfTheirContainer() {
        for (Service service : stack.appServices().values()) {
            String address = stack.resolve(service, "server.address");
            assertThat(address == null ? "" : address).as("server.address of %s (loopback would be unreachable from"
                    + " other containers and published ports)", service.name()).isIn("", "0.0.0.0", "::");
        }
    }

    @Test
    void publishedPortsExposeAndHealthchecksUseThePortTheServiceListensOn() throws IOException {
        Set<String> published = new HashSet<>();
        for (Service service : stack.appServices().values()) {
            String configured = stack.resolve(service, "server.port");
            int port = Integer.parseInt(configured == null ? "8080" : configured);
            for (Port p : service.ports()) {
                assertThat(p.target()).as("container port published by %s", service.name()).isEqualTo(port);
                if (p.published() != null) {
                    assertThat(published.add(p.published())).as("host port %s published once", p.published()).isTrue();
                }
            }
            String dockerfile = service.build().get().dockerfileText(stack.compose().dir());
            assertThat(dockerfile).as("EXPOSE of %s's Dockerfile", service.name()).containsPattern("(?m)^EXPOSE .*\\b" + port + "\\b");
            String health = service.healthcheck().orElse("");
            assertThat(health).as("healthcheck of %s", service.name()).contains("/actuator/health");
            Matcher m = HEALTH_PORT.matcher(health);
            assertThat(m.find()).as("healthcheck of %s calls a local port: %s", service.name(), health).isTrue();
            // Actuator answers on the management port when a service has one apart (the api-service), never published
            String management = stack.resolve(service, "management.server.port");
            int healthPort = management == null ? port : Integer.parseInt(management);
            assertThat(Integer.parseInt(m.group(1))).as("port of %s's healthcheck", service.name()).isEqualTo(healthPort);
            if (healthPort != port) {
                assertThat(service.ports()).as("%s publishes its management port", service.name())
                        .noneMatch(p -> p.target() == healthPort);
            }
        }
    }

    @Test
    void dependsOnNamesServicesWithConditionsTheyCanMeet() {
        Map<String, Service> services = stack.compose().services();
        for (Service service : services.values()) {
            service.dependsOn().forEach((target, condition) -> {
                assertThat(services).as("%s depends on %s", service.name(), target).containsKey(target);
                Service dependency = services.get(target);
                switch (condition) {
                    case "service_healthy" -> assertThat(dependency.healthcheck())
                            .as("%s waits for %s to be healthy: it needs a healthcheck", service.name(), target).isPresent();
                    case "service_completed_successfully" -> assertThat(dependency.restart())
                            .as("%s waits for %s to complete: it must be one-shot", service.name(), target).isIn("no", "on-failure");
                    default -> assertThat(condition).as("condition of %s on %s", service.name(), target).isEqualTo("service_started");
                }
            });
            boolean oneShot = service.restart().equals("no") || service.restart().equals("on-failure");
            assertThat(oneShot || service.healthcheck().isPresent()).as("%s has a healthcheck", service.name()).isTrue();
        }
        for (Service service : stack.appServices().values()) {
            if (stack.module(service).name().equals("agent-consumer")) {
                continue; // no Kafka client: it waits for its gateway (agentsRegisterThroughTheirGateway…)
            }
            stack.brokers().forEach(broker -> assertThat(service.dependsOn()).as("%s waits for the brokers", service.name())
                    .containsEntry(broker.name(), "service_healthy"));
            stack.topicInitialisers().forEach(init -> assertThat(service.dependsOn()).as("%s waits for the topics",
                    service.name()).containsEntry(init.name(), "service_completed_successfully"));
        }
    }

    @Test
    void theApiRequiresSignaturesWithAMountedCredentialsFileWhoseKeyCreatesTheAgentsActivation() throws IOException {
        Set<String> files = new HashSet<>();
        for (Service api : stack.appServicesOf("api-service")) {
            assertThat(stack.resolve(api, "stopplane.api.auth-mode")).as("auth mode of %s", api.name()).isEqualTo("signature");
            String file = api.environment().get("STOPPLANE_AUTH_CREDENTIALS");
            assertThat(file).as("STOPPLANE_AUTH_CREDENTIALS of %s", api.name()).isNotBlank();
            Optional<Mount> mount = api.mountAt(file);
            assertThat(mount).as("%s mounts %s", api.name(), file).isPresent();
            assertThat(mount.get().isBind() && mount.get().readOnly()).as("%s: %s is a read-only bind mount", api.name(), file).isTrue();
            assertThat(accountIds(stack.compose().dir().resolve(mount.get().source()))).as("accounts of %s", file).isNotEmpty();
            files.add(mount.get().source());
        }
        // the agents' instances belong to the account of the key that creates their activation: one of the API's
        Service activation = activationService();
        String credentials = activation.environment().get("CREDENTIALS");
        Optional<Mount> mount = activation.mountAt(credentials);
        assertThat(mount).as("%s mounts %s", activation.name(), credentials).isPresent();
        assertThat(mount.get().readOnly()).as("%s: %s read-only", activation.name(), credentials).isTrue();
        assertThat(files).as("the API's credentials file, which %s signs with", activation.name())
                .containsExactly(mount.get().source());
        assertThat(stack.appServicesOf("api-service")).as("%s calls an API that is up", activation.name())
                .anySatisfy(api -> assertThat(activation.dependsOn()).containsEntry(api.name(), "service_healthy"));
        assertThat(activation.restart()).as("%s is one-shot", activation.name()).isEqualTo("no");
        for (String script : List.of("/opt/stopplane/create-activation.sh", "/opt/stopplane/sign-v1.sh")) {
            Optional<Mount> m = activation.mountAt(script);
            assertThat(m).as("%s mounts %s", activation.name(), script).isPresent();
            assertThat(stack.compose().dir().resolve(m.get().source())).as("source of %s", script).isRegularFile();
        }
    }

    @Test
    void agentsRegisterThroughTheirGatewayWithTheActivationAndHoldNoKafkaSetting() {
        Service activation = activationService();
        String activationFile = activation.environment().get("ACTIVATION_FILE");
        String activationDir = activationFile.substring(0, activationFile.lastIndexOf('/'));
        Optional<Mount> written = activation.mountAt(activationDir);
        assertThat(written).as("%s writes %s to a volume", activation.name(), activationFile).isPresent();
        assertThat(stack.compose().volumes()).as("named volumes").containsKey(written.get().source());
        Map<String, Service> gateways = new HashMap<>();
        stack.appServicesOf("agent-gateway").forEach(g -> gateways.put(g.hostname(), g));
        Set<String> usedGateways = new HashSet<>();
        int instances = 0;
        for (Service agent : stack.appServicesOf("agent-consumer")) {
            assertThat(agent.environment().keySet()).as("settings of %s: no broker, no account, no instance id",
                    agent.name()).noneMatch(v -> v.startsWith("STOPPLANE_KAFKA_") || v.startsWith("STOPPLANE_TOPIC_")
                            || v.equals("STOPPLANE_AGENT_ACCOUNT") || v.equals("STOPPLANE_AGENT_INSTANCE_IDS"));
            java.net.URI url = java.net.URI.create(stack.resolve(agent, "stopplane.agent.gateway-url"));
            assertThat(url.getScheme()).as("gateway of %s", agent.name()).isIn("ws", "wss");
            Service gateway = gateways.get(url.getHost());
            assertThat(gateway).as("%s's gateway %s is a gateway of this file", agent.name(), url).isNotNull();
            assertThat(url.getPort()).as("port of %s's gateway", agent.name())
                    .isEqualTo(Integer.parseInt(stack.resolve(gateway, "server.port")));
            usedGateways.add(gateway.name());
            assertThat(agent.dependsOn()).as("%s waits for its gateway and its activation", agent.name())
                    .containsEntry(gateway.name(), "service_healthy")
                    .containsEntry(activation.name(), "service_completed_successfully");
            String file = stack.resolve(agent, "stopplane.agent.activation-file");
            assertThat(file).as("activation file of %s", agent.name()).isNotBlank();
            Optional<Mount> read = agent.mountAt(file.substring(0, file.lastIndexOf('/')));
            assertThat(read).as("%s reads %s from a volume", agent.name(), file).isPresent();
            assertThat(read.get().source()).as("%s's activation volume", agent.name()).isEqualTo(written.get().source());
            assertThat(read.get().readOnly()).as("%s mounts the activation read-only", agent.name()).isTrue();
            assertThat(file.substring(file.lastIndexOf('/'))).as("the file %s writes", activation.name())
                    .isEqualTo(activationFile.substring(activationFile.lastIndexOf('/')));
            int count = Integer.parseInt(stack.resolve(agent, "stopplane.agent.instance-count"));
            assertThat(count).as("instances of %s", agent.name()).isPositive();
            instances += count;
        }
        assertThat(instances).as("instances the agents register, within the activation's InstanceCount")
                .isLessThanOrEqualTo(Integer.parseInt(activation.environment().get("INSTANCE_COUNT")));
        assertThat(usedGateways).as("the agents spread over the gateways").hasSize(gateways.size());
    }

    /** The one-shot that creates the agents' activation with CreateActivation. */
    private static Service activationService() {
        List<Service> found = stack.compose().services().values().stream()
                .filter(s -> s.environment().containsKey("ACTIVATION_FILE")).toList();
        assertThat(found).as("the service that creates the agents' activation").hasSize(1);
        return found.get(0);
    }

    @Test
    void theApiServesTlsFromAMountedCertificateAndRefusesTheExampleSecretsUnlessTold() {
        for (Service api : stack.appServicesOf("api-service")) {
            assertThat(stack.resolve(api, "server.ssl.enabled")).as("TLS of %s", api.name()).isEqualTo("true");
            for (String property : List.of("server.ssl.certificate", "server.ssl.certificate-private-key")) {
                String file = stack.resolve(api, property);
                String dir = file.substring(0, file.lastIndexOf('/'));
                Optional<Mount> mount = api.mountAt(dir);
                assertThat(mount).as("%s: %s (%s) is in a mounted directory", api.name(), property, file).isPresent();
                assertThat(mount.get().isBind() && mount.get().readOnly()).as("%s: %s read-only", api.name(), dir)
                        .isTrue();
            }
            assertThat(stack.resolve(api, "stopplane.api.allow-example-secrets"))
                    .as("%s serves the example secrets only when told", api.name()).isEqualTo("false");
            assertThat(stack.resolve(api, "stopplane.api.throttle.replicas")).as("replicas sharing an account's rate")
                    .isEqualTo(String.valueOf(stack.appServicesOf("api-service").size()));
        }
    }

    @Test
    void everyStateDirectoryIsANamedVolumeOfItsOwn() {
        Set<String> used = new HashSet<>();
        for (Service service : stack.appServices().values()) {
            for (String property : stateDirProperties(stack.module(service))) {
                String dir = stack.resolve(service, property);
                Optional<Mount> mount = service.mountAt(dir);
                assertThat(mount).as("%s: %s=%s is on a volume", service.name(), property, dir).isPresent();
                assertThat(stack.compose().volumes()).as("named volumes").containsKey(mount.get().source());
                assertThat(used.add(mount.get().source())).as("volume %s used by one service", mount.get().source()).isTrue();
            }
        }
    }

    private static List<String> stateDirProperties(ModuleConfig module) {
        return module.propertyNames().stream().filter(p -> p.endsWith("state-dir")).toList();
    }

    private static List<String> accountIds(Path credentials) throws IOException {
        assertThat(credentials).as("credentials file").isRegularFile();
        Map<String, Object> root;
        try (Reader in = Files.newBufferedReader(credentials)) {
            root = ComposeFile.map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        }
        List<String> ids = new ArrayList<>();
        for (Object account : ComposeFile.list(root.get("accounts"))) {
            Map<String, Object> a = ComposeFile.map(account);
            ids.add(String.valueOf(a.get("id")));
            for (Object key : ComposeFile.list(a.get("keys"))) {
                assertThat(ComposeFile.map(key)).as("a key of account %s", a.get("id"))
                        .containsKeys("accessKeyId", "accessKeySecret", "actions");
            }
        }
        assertThat(ids).as("accounts of %s", credentials).isNotEmpty();
        return ids;
    }
}
