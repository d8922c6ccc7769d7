package io.stopplane.e2e;

import io.stopplane.e2e.ComposeFile.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's docker-compose.yml together with the configuration of each module it builds a service from. */
record ComposeStack(Path root, ComposeFile compose, Map<String, ModuleConfig> moduleOfService) {

    static ComposeStack load() throws IOException {
        Path root = findRoot();
        ComposeFile compose = ComposeFile.load(root.resolve("docker-compose.yml"));
        Map<String, ModuleConfig> modules = new LinkedHashMap<>();
        Map<Path, ModuleConfig> byDir = new LinkedHashMap<>();
        for (Service service : compose.services().values()) {
            if (service.build().isEmpty()) {
                continue;
            }
            Path context = compose.dir().resolve(service.build().get().context()).normalize();
            if (ModuleConfig.isModule(context)) {
                if (!byDir.containsKey(context)) {
                    byDir.put(context, ModuleConfig.of(context));
                }
                modules.put(service.name(), byDir.get(context));
            }
        }
        return new ComposeStack(root, compose, modules);
    }

    /** The repository root: -Dstopplane.root, else the nearest directory up from here with docker-compose.yml. */
    private static Path findRoot() {
        String configured = System.getProperty("stopplane.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker-compose.yml next to a pom.xml above " + Path.of("").toAbsolutePath());
    }

    /** The reactor's modules that run as a service: those with an application.yml. */
    List<Path> runnableModules() throws IOException {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        return m.results().map(r -> root.resolve(r.group(1).trim())).filter(ModuleConfig::isModule).toList();
    }

    /** The services built from a StopPlane module, by service name. */
    Map<String, Service> appServices() {
        Map<String, Service> result = new LinkedHashMap<>();
        moduleOfService.keySet().forEach(name -> result.put(name, compose.services().get(name)));
        return result;
    }

    ModuleConfig module(Service service) {
        return moduleOfService.get(service.name());
    }

    /** The value {@code property} gets in {@code service}'s container. */
    String resolve(Service service, String property) {
        return module(service).resolve(property, service.environment());
    }

    List<Service> appServicesOf(String module) {
        return appServices().values().stream().filter(s -> module(s).name().equals(module)).toList();
    }

    /** Kafka nodes with the broker role. */
    List<Service> brokers() {
        return compose.services().values().stream()
                .filter(s -> s.environment().getOrDefault("KAFKA_PROCESS_ROLES", "").contains("broker"))
                .toList();
    }

    /** The one-shot service that runs kafka-topics.sh. */
    List<Service> topicInitialisers() {
        return compose.services().values().stream().filter(s -> s.script().contains("kafka-topics.sh")).toList();
    }

    /** host:port this broker advertises to clients. */
    static String advertised(Service broker) {
        String listeners = broker.environment().getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
        Matcher m = Pattern.compile("PLAINTEXT://([^,]+)").matcher(listeners);
        return m.find() ? m.group(1) : "";
    }
}
