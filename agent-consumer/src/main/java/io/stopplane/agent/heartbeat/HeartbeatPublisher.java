package io.stopplane.agent.heartbeat;

import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.agent.AgentApplication;
import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.process.ShutdownFirst;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.topic.Topics;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes a heartbeat per hosted instance at a fixed rate, from start-up until shutdown. */
@Component
class HeartbeatPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);

    private final KafkaTemplate<String, AgentHeartbeat> template;
    private final KafkaAdmin admin;
    private final AgentProperties props;
    private final String version = Optional.ofNullable(AgentApplication.class.getPackage().getImplementationVersion())
            .orElse("dev");
    private final String hostname = hostname();
    private volatile ScheduledExecutorService scheduler;
    private final String source;
    private volatile boolean topicEnsured;

    HeartbeatPublisher(KafkaTemplate<String, AgentHeartbeat> heartbeatTemplate, KafkaAdmin admin, AgentProperties props) {
        this.template = heartbeatTemplate;
        this.admin = admin;
        this.props = props;
        this.source = "/stopplane/agent/" + props.id();
    }

    @Override
    public void start() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "agent-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = props.heartbeatInterval().toMillis();
        s.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
        scheduler = s;
    }

    @Override
    public void stop() {
        ScheduledExecutorService s = scheduler;
        scheduler = null;
        if (s != null) {
            s.shutdownNow();
        }
    }

    /** After the running commands were given their end: see {@link ShutdownFirst}. */
    @Override
    public int getPhase() {
        return ShutdownFirst.LATER;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    private void beat() {
        try {
            // Declared here rather than during start-up (spring.kafka.admin.auto-create=false) so that a broker that is
            // down does not block start-up; and before the first send, which would let the broker auto-create the topic
            // without compaction.
            if (!topicEnsured) {
                topicEnsured = admin.initialize();
            }
            Instant now = Instant.now();
            for (InstanceId instance : props.instanceIds()) {
                AgentHeartbeat beat = new AgentHeartbeat(instance, props.regionId(), props.accountId(), version,
                        hostname, now);
                ProducerRecord<String, AgentHeartbeat> record =
                        new ProducerRecord<>(Topics.AGENT_HEARTBEATS.name(), instance.value(), beat);
                CloudEvents.of(beat, source).forEach((k, v) -> record.headers().add(k, v.getBytes(UTF_8)));
                template.send(record);
            }
        } catch (RuntimeException e) {
            if (scheduler != null) {
                log.warn("AgentHeartbeat not sent: {}", e.toString());
            }
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
        }
    }
}
