package io.stopplane.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;

/**
 * A stack the e2e classes with the same needs share (a KRaft broker and the four services), because starting one costs
 * about half a minute of this 2-core machine and each class paid that before. There are two kinds, each handed to a
 * class's {@code @BeforeAll} by its resolver:
 * <ul>
 * <li>{@link Signed}: signature mode with one account, an operator key and a read-only one;</li>
 * <li>{@link ShortTimers}: no authentication, the timers short enough to see a stop time out and a run aborted, the
 * schedules' minimum intervals lowered (test-only settings), and the agent's boot id read from a file a test can
 * change ({@link #bootIdFile}). Here they would add a timeout to any slow stop of a
 * signed class's timeline, so those classes do not share it.</li>
 * </ul>
 * The first class that asks for a kind starts it; it is stopped after the last class of its kind that
 * {@link SharedStackLast} ordered, else when JUnit closes its root store after the last class, or by a shutdown hook
 * however else the JVM ends. A class on it uses its own invocations and never counts what others left; one that stops a
 * part restores it. Classes that need something else keep a stack of their own: {@code DispatcherCrashE2EIT} (only its
 * own dispatchers may fold its topics) and {@code ContainerBrokerE2EIT} (its broker is the container).
 */
final class SharedStack implements AutoCloseable {

    static final String ACCOUNT = "1790000000000001";
    static final String OPERATOR = "LTAIe2eOperator";
    static final String READER = "LTAIe2eReader";

    enum Kind {
        SIGNED, SHORT_TIMERS
    }

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

    private static SharedStack start(Kind kind) {
        try {
            SharedStack stack = new SharedStack();
            try {
                stack.broker.afterPropertiesSet();
                stack.processes = switch (kind) {
                    case SIGNED -> stack.startSigned();
                    case SHORT_TIMERS -> new StopPlaneProcesses().start(stack.bootstrap(), stack.state, Map.of(
                            "STOPPLANE_AGENT_BOOTIDFILE", Files.writeString(stack.bootIdFile(),
                                    UUID.randomUUID() + "\n").toString(),
                            // one delivery timeout, the API's: it travels in each command to the dispatcher and agent
                            "STOPPLANE_API_DELIVERYTIMEOUT", "4s",
                            "STOPPLANE_DISPATCHER_TIMERS_STOPTIMEOUT", "2s",
                            "STOPPLANE_DISPATCHER_TIMERS_HEARTBEATEXPIRY", "8s",
                            "STOPPLANE_API_SCHEDULES_MINRATE", "1s",
                            "STOPPLANE_API_SCHEDULES_MINCRONGAP", "1s"));
                };
            } catch (IOException | RuntimeException | Error e) {
                stack.close();
                throw e;
            }
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StopPlaneProcesses startSigned() throws IOException {
        Path credentials = state.resolve("credentials.yml");
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
                """.formatted(ACCOUNT, OPERATOR, operatorSecret, READER, readerSecret));
        // the operator's CreateActivation: the agent's instances are the operator's account's
        return new StopPlaneProcesses().activatedBy(OPERATOR, operatorSecret).start(bootstrap(), state,
                Map.of("STOPPLANE_AUTH_MODE", "signature", "STOPPLANE_AUTH_CREDENTIALS", credentials.toString()));
    }

    String bootstrap() {
        return broker.getBrokersAsString();
    }

    String apiUrl() {
        return processes.apiUrl();
    }

    /** The agent's three instances (in the operator's account on the signed stack). */
    List<String> agentInstances() {
        return processes.agentInstances();
    }

    /** The parts, for a class that kills one and restores it. */
    StopPlaneProcesses processes() {
        return processes;
    }

    /**
     * What the short-timers stack's agent reads as its host's boot id ({@code stopplane.agent.boot-id-file}): a test
     * simulates a reboot by writing a new one and restarting the agent.
     */
    Path bootIdFile() {
        return state.resolve("boot_id");
    }

    /** A directory of this stack's, for files a test's commands write. */
    Path state() {
        return state;
    }

    String operatorSecret() {
        return operatorSecret;
    }

    String readerSecret() {
        return readerSecret;
    }

    /** A client that signs with the operator's key, allowed every action (signed stack). */
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
     * Hands a kind's {@link SharedStack} to a class's {@code @BeforeAll}: the first call starts it in JUnit's root
     * store, which closes it (it is {@link AutoCloseable}) when the whole run is over, unless the class that
     * {@link SharedStackLast} ordered last of the kind closes it first.
     */
    abstract static class Resolver implements ParameterResolver, AfterAllCallback {

        private final Kind kind;

        Resolver(Kind kind) {
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedStack.class;
        }

        @Override
        public SharedStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return store(context).computeIfAbsent(kind, key -> start(kind), SharedStack.class);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (SharedStackLast.isLastOf(kind, context.getRequiredTestClass())) {
                SharedStack stack = store(context).remove(kind, SharedStack.class);
                if (stack != null) {
                    stack.close();
                }
            }
        }

        private static ExtensionContext.Store store(ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedStack.class));
        }
    }

    /** The signed stack: see {@link SharedStack}. */
    static final class Signed extends Resolver {
        Signed() {
            super(Kind.SIGNED);
        }
    }

    /** The stack with short timers: see {@link SharedStack}. */
    static final class ShortTimers extends Resolver {
        ShortTimers() {
            super(Kind.SHORT_TIMERS);
        }
    }
}
