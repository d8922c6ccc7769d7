package io.stopplane.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;

/**
 * The one stack the e2e classes with the same needs share (a KRaft broker and the four services, in signature mode with
 * one account: an operator key and a read-only one), because starting it costs about half a minute of this 2-core
 * machine and each class paid that before. It is started by the first class that asks for it ({@link Resolver}) and
 * stopped when JUnit closes its root store after the last class, or by a shutdown hook however else the JVM ends.
 * <p>
 * A class on it uses its own invocations and never counts what others left; one that stops a part restores it. Classes
 * that need something else keep a stack of their own: {@code AgentLossE2EIT} (timers short enough to see a stop time
 * out: here they would add a timeout to any slow stop of another class's timeline) and {@code DispatcherCrashE2EIT}
 * (only its own dispatchers may fold its topics), and {@code ContainerBrokerE2EIT} (its broker is the container).
 */
final class SharedStack implements AutoCloseable {

    static final String ACCOUNT = "1790000000000001";
    static final String OPERATOR = "LTAIe2eOperator";
    static final String READER = "LTAIe2eReader";

    private final String operatorSecret = secret();
    private final String readerSecret = secret();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook = new Thread(this::close, "shared-stack-shutdown");
    private final Path state;
    private final EmbeddedKafkaBroker broker;
    private StopPlaneProcesses processes;

    private SharedStack() throws IOException {
        Runtime.getRuntime().addShutdownHook(hook);
        state = Files.createTempDirectory("stopplane-e2e-");
        broker = new EmbeddedKafkaKraftBroker(1, 3).brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
    }

    private static SharedStack start() {
        try {
            SharedStack stack = new SharedStack();
            try {
                stack.broker.afterPropertiesSet();
                Path credentials = stack.state.resolve("credentials.yml");
                Files.writeString(credentials, """
                        accounts:
                          - id: "%s"
                            keys:
                              - accessKeyId: %s
                                accessKeySecret: %s
                                enabled: true
                                actions: ["*"]
                              - accessKeyId: %s
                                accessKeySecret: %s
                                enabled: true
                                actions: [DescribeRegions, DescribeInvocations, DescribeInvocationResults,
                                          DescribeInvocationTimeline, DescribeCloudAssistantStatus]
                        """.formatted(ACCOUNT, OPERATOR, stack.operatorSecret, READER, stack.readerSecret));
                // the operator's CreateActivation: the agent's instances are the operator's account's
                stack.processes = new StopPlaneProcesses().activatedBy(OPERATOR, stack.operatorSecret)
                        .start(stack.bootstrap(), stack.state, Map.of("STOPPLANE_AUTH_MODE", "signature",
                                "STOPPLANE_AUTH_CREDENTIALS", credentials.toString()));
            } catch (IOException | RuntimeException | Error e) {
                stack.close();
                throw e;
            }
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String bootstrap() {
        return broker.getBrokersAsString();
    }

    String apiUrl() {
        return processes.apiUrl();
    }

    /** The agent's three instances, in the operator's account. */
    List<String> agentInstances() {
        return processes.agentInstances();
    }

    String operatorSecret() {
        return operatorSecret;
    }

    String readerSecret() {
        return readerSecret;
    }

    /** A client that signs with the operator's key, allowed every action. */
    RpcClient operator() {
        return new RpcClient(apiUrl(), OPERATOR, operatorSecret);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (processes != null) {
                processes.close();
            }
            broker.destroy();
            FileSystemUtils.deleteRecursively(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway and finds the stack closed
                }
            }
        }
    }

    private static String secret() {
        byte[] b = new byte[18];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Hands the {@link SharedStack} to a class's {@code @BeforeAll}: the first call starts it in JUnit's root store,
     * which closes it (it is {@link AutoCloseable}) when the whole run is over.
     */
    static final class Resolver implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedStack.class;
        }

        @Override
        public SharedStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedStack.class))
                    .computeIfAbsent(SharedStack.class, key -> start(), SharedStack.class);
        }
    }
}
