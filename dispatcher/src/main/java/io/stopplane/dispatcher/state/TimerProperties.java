package io.stopplane.dispatcher.state;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dispatcher's deadlines.
 *
 * @param deliveryTimeout a run not picked up by its agent within this is Aborted, for a command that does not carry its
 *     own (the API writes {@code stopplane.api.delivery-timeout} into every command it creates)
 * @param stopTimeout a stop not acknowledged within this is flagged (the target stays Stopping)
 * @param executionMargin a Running target whose agent is silent past its Timeout plus this is Error
 * @param heartbeatExpiry an agent with no heartbeat within this is considered not running
 * @param scanInterval how often the timers are checked
 * @param retention how long a finished invocation is kept: then its state and outputs are tombstoned (Alibaba keeps
 *     invocation records for 30 days, see docs/retention.md); {@code invocation-events} keeps the whole history
 * @param missedRunGrace a scheduled run found due later than this (the dispatcher was down, or the target's agent was
 *     away when it fell due) is skipped, not fired late: runs missed meanwhile never come in a burst
 */
@ConfigurationProperties("stopplane.dispatcher.timers")
public record TimerProperties(
        @DefaultValue("60s") Duration deliveryTimeout,
        @DefaultValue("30s") Duration stopTimeout,
        @DefaultValue("60s") Duration executionMargin,
        @DefaultValue("15s") Duration heartbeatExpiry,
        @DefaultValue("1s") Duration scanInterval,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("30s") Duration missedRunGrace) {

    @ConstructorBinding
    public TimerProperties {
    }

    public TimerProperties(Duration deliveryTimeout, Duration stopTimeout, Duration executionMargin,
            Duration heartbeatExpiry, Duration scanInterval, Duration retention) {
        this(deliveryTimeout, stopTimeout, executionMargin, heartbeatExpiry, scanInterval, retention,
                Duration.ofSeconds(30));
    }
}
