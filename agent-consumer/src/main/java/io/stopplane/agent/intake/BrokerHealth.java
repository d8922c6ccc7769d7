package io.stopplane.agent.intake;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code broker} in {@code /actuator/health}: whether the Kafka cluster answers, checked every two seconds in the
 * background (a health request never waits on a dead broker). DOWN says since when no broker answered and what that
 * means. Not part of the readiness group: the agent resumes by itself when the broker is back.
 */
@Component("broker")
class BrokerHealth implements HealthIndicator, SmartLifecycle {

    static final String CONSEQUENCE = "no run or stop can reach this agent; running commands go on and their "
            + "reports wait until the broker is back";
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final Map<String, Object> adminConfig;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Health health = Health.unknown().withDetail("broker", "not checked yet").build();
    private volatile Instant unreachableSince;
    private Thread thread;

    BrokerHealth(KafkaProperties kafka) {
        this.adminConfig = new HashMap<>(kafka.buildAdminProperties());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "agent-broker-health");
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public void start() {
        running.set(true);
        thread = new Thread(this::run, "broker-health");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (Admin admin = Admin.create(adminConfig)) {
            while (running.get()) {
                check(admin);
                try {
                    Thread.sleep(INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            health = Health.down(e).build();
        }
    }

    private void check(Admin admin) {
        Object servers = adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        String bootstrap = servers instanceof Collection<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(servers);
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) TIMEOUT.toMillis())).nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            unreachableSince = null;
            health = Health.up().withDetail("brokers", nodes.size()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Instant since = unreachableSince;
            if (since == null) {
                since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                unreachableSince = since;
            }
            health = Health.down()
                    .withDetail("error", "no broker answers at " + bootstrap)
                    .withDetail("unreachableSince", since.toString())
                    .withDetail("consequence", CONSEQUENCE)
                    .build();
        }
    }

    @Override
    public void stop() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }
}
