package io.stopplane.api.publish;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates the first transactional producer at start-up instead of in the first request: on a new cluster finding the
 * transaction coordinator can take longer than a request's dispatch budget. Until it has succeeded the service is not
 * healthy. Retries in the background while the broker is unreachable.
 */
@Component
class PublisherWarmup implements SmartLifecycle, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(PublisherWarmup.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final KafkaTemplate<String, Object> template;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean warm;

    PublisherWarmup(KafkaTemplate<String, Object> template) {
        this.template = template;
    }

    @Override
    public void start() {
        running.set(true);
        Thread thread = new Thread(this::warmUp, "publisher-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private void warmUp() {
        while (running.get() && !warm) {
            try (Producer<String, Object> producer = template.getProducerFactory().createProducer()) {
                warm = producer != null; // closing returns it to the factory's cache, initialised
                LOG.info("transactional producer ready");
            } catch (RuntimeException e) {
                LOG.warn("transactional producer not ready yet: {}{}", e,
                        e.getCause() == null ? "" : " (" + e.getCause() + ")");
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public Health health() {
        return warm ? Health.up().build() : Health.down().withDetail("producer", "initialising").build();
    }

    @Override
    public void stop() {
        running.set(false);
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }
}
