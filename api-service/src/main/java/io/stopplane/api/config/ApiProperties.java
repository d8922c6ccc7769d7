package io.stopplane.api.config;

import io.stopplane.model.schedule.FrequencyLimits;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API settings, bound from {@code stopplane.api.*}.
 *
 * @param authMode {@code none} (local only: refuses to listen beyond loopback) or {@code signature}
 * @param regions the regions this deployment knows, by region id; a map so that a deployment can add or disable one
 *     region ({@code stopplane.api.regions.cn-foo.cloud-assistant=false}) without restating the others
 * @param dispatchTimeout the budget of one publish (see DispatchBudget): a client hears InternalError.Dispatch within
 *     about one and a half times this (under 8 s for the default)
 * @param agentOnlineWithin an agent whose last heartbeat is older than this is reported offline
 * @param authCredentials in signature mode, the YAML file of accounts and AccessKeys
 * @param authReloadInterval how often that file is re-read (a changed file applies within this, without a restart)
 * @param allowExampleSecrets false: a credentials file with a secret of the example file (one containing
 *     {@code change-me}) is refused, at start-up and on reload
 * @param maxNonces the most signature nonces a replica remembers; beyond, new signed requests are refused with
 *     Throttling until older nonces expire
 * @param deliveryTimeout a run not started this long after RunCommand never starts ({@code Aborted}/DeliveryTimeout):
 *     written into each command, so that the dispatcher and the agents decide from this one value
 * @param schedules the limits a {@code Frequency} is checked against (Alibaba's unless a test lowers them)
 */
@ConfigurationProperties("stopplane.api")
public record ApiProperties(
        @DefaultValue("none") String authMode,
        Map<String, Region> regions,
        @DefaultValue("5s") Duration dispatchTimeout,
        @DefaultValue("20s") Duration agentOnlineWithin,
        String authCredentials,
        @DefaultValue Throttle throttle,
        @DefaultValue("60s") Duration deliveryTimeout,
        @DefaultValue("5s") Duration authReloadInterval,
        @DefaultValue("1000000") long maxNonces,
        @DefaultValue("false") boolean allowExampleSecrets,
        @DefaultValue Schedules schedules) {

    private static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

    @ConstructorBinding
    public ApiProperties {
        regions = regions == null ? Map.of() : Map.copyOf(regions);
        throttle = throttle == null ? new Throttle(0, 0, 1, 0) : throttle;
        deliveryTimeout = deliveryTimeout == null ? DEFAULT_DELIVERY_TIMEOUT : deliveryTimeout;
        authReloadInterval = authReloadInterval == null ? DEFAULT_RELOAD_INTERVAL : authReloadInterval;
        schedules = schedules == null ? new Schedules(null, null, null) : schedules;
        if (deliveryTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("stopplane.api.delivery-timeout must be at least 1s: " + deliveryTimeout);
        }
    }

    public ApiProperties(String authMode, Map<String, Region> regions, Duration dispatchTimeout,
            Duration agentOnlineWithin) {
        this(authMode, regions, dispatchTimeout, agentOnlineWithin, null, null, null, null, 1_000_000, false, null);
    }

    /**
     * The limits of a Frequency: Alibaba's by default. Lower minimums are for tests only (the issue allows them "by
     * configuration in tests only"); never set them in production.
     *
     * @param minRate the shortest {@code rate(…)} (Alibaba: 60 s)
     * @param minCronGap the shortest gap between two runs of a cron (Alibaba: 10 s)
     * @param instanceZone the zone of a cron without one (Alibaba: the instance's, which the control plane does not
     *     know; default UTC)
     */
    public record Schedules(Duration minRate, Duration minCronGap, String instanceZone) {

        public FrequencyLimits limits() {
            FrequencyLimits alibaba = FrequencyLimits.alibaba(ZoneId.of(instanceZone == null ? "UTC" : instanceZone));
            return new FrequencyLimits(minRate == null ? alibaba.minRate() : minRate, alibaba.maxRate(),
                    minCronGap == null ? alibaba.minCronGap() : minCronGap, alibaba.instanceZone());
        }
    }

    /**
     * The per-account request limit (a token bucket): {@code ratePerSecond} 0 turns it off.
     *
     * @param burst how many requests may come at once before the rate applies
     * @param replicas how many api-service replicas share the account limit (each allows its share)
     * @param sourceFailuresPerSecond before authentication: a source address with more failed authentications than this
     *     in a second is refused (Throttling) until the second ends; 0 turns it off
     */
    public record Throttle(@DefaultValue("5000") double ratePerSecond, @DefaultValue("10000") double burst,
            @DefaultValue("1") int replicas, @DefaultValue("50") int sourceFailuresPerSecond) {

        public Throttle {
            if (replicas < 1) {
                throw new IllegalArgumentException("stopplane.api.throttle.replicas must be at least 1: " + replicas);
            }
        }
    }

    /**
     * One region as DescribeRegions shows it.
     *
     * @param name the English name, e.g. {@code China (Hangzhou)}
     * @param localName the name in the region's language, e.g. {@code 华东1（杭州）}; the English name when absent
     * @param endpoint the {@code RegionEndpoint} to advertise; absent: the host the client called
     * @param cloudAssistant false: the region exists but the invocation actions answer RegionId.ApiNotSupported
     */
    public record Region(String name, String localName, String endpoint, @DefaultValue("true") boolean cloudAssistant) {
    }
}
