package io.stopplane.kafka;

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
import org.springframework.context.SmartLifecycle;

/**
 * {@code broker} in {@code /actuator/health} of each service (registered as the bean {@code broker}): whether the Kafka
 * cluster answers, checked every two seconds in the background (a health request never waits on a dead broker). DOWN
 * says since when no broker answered and what that means for the service. Kept out of the readiness groups: every
 * service resumes by itself when the broker is back.
 */
public final class BrokerHealth implements HealthIndicator, SmartLifecycle {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final Map<String, Object> adminConfig;
    private final String consequence;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Health health = Health.unknown().withDetail("broker", "not checked yet").build();
    private volatile Instant unreachableSince;
    private Thread thread;

    /**
     * @param adminProperties the service's admin client properties (bootstrap servers, security)
     * @param service names the admin client ({@code <service>-broker-health})
     * @param consequence what a dead broker means for this service, shown in the DOWN details
     */
    public BrokerHealth(Map<String, Object> adminProperties, String service, String consequence) {
        this.adminConfig = new HashMap<>(adminProperties);
        this.consequence = consequence;
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, service + "-broker-health");
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
                    .withDetail("consequence", consequence)
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
