package io.stopplane.agent.gateway;

import io.stopplane.model.agent.AgentRegistrar;
import io.stopplane.model.agent.Backoff;
import io.stopplane.model.id.InstanceId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identities this agent hosts: those it registered before, from {@link IdentityStore}, and on the first start as
 * many more as {@code instance-count} asks for, registered with the activation. Start-up waits for registration (the
 * journal is kept per instance id, and there are none before it); a refused activation stops the agent with its code.
 */
final class Identities {

    private static final Logger log = LoggerFactory.getLogger(Identities.class);

    private final List<Identity> all;

    Identities(List<Identity> all) {
        this.all = List.copyOf(all);
    }

    static Identities establish(IdentityStore store, int wanted, Optional<Activation> activation,
            AgentRegistrar registrar) {
        List<Identity> identities = new ArrayList<>(store.load());
        if (!identities.isEmpty()) {
            log.info("Hosting {} registered instance(s): {}", identities.size(),
                    identities.stream().map(Identity::instanceId).toList());
        }
        if (identities.size() >= wanted) {
            return new Identities(identities);
        }
        Activation with = activation.orElseThrow(() -> new IllegalStateException("No identity for "
                + (wanted - identities.size()) + " more instance(s) and no activation to register them with: set "
                + "STOPPLANE_AGENT_ACTIVATION_ID and STOPPLANE_AGENT_ACTIVATION_CODE, or stopplane.agent.activation-file"));
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), ThreadLocalRandom.current());
        while (identities.size() < wanted) {
            Identity identity = registerOne(with, registrar, backoff);
            store.save(identity);
            identities.add(identity);
            log.info("Registered instance {} with {} ({} of {})", identity.instanceId(), with, identities.size(), wanted);
        }
        return new Identities(identities);
    }

    private static Identity registerOne(Activation activation, AgentRegistrar registrar, Backoff backoff) {
        var keys = Identity.generateKeys();
        while (true) {
            try {
                AgentRegistrar.Registered r = registrar.register(activation.id(), activation.code(), keys);
                return new Identity(r.instanceId(), r.regionId(), keys);
            } catch (AgentRegistrar.Refused e) {
                throw new IllegalStateException("Registration with " + activation + " refused: " + e.getMessage());
            } catch (IOException e) {
                Duration wait = backoff.next();
                log.warn("Registration with {} failed ({}), retrying in {} ms", activation, e.toString(), wait.toMillis());
                sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while registering with " + activation);
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering");
        }
    }

    List<Identity> all() {
        return all;
    }

    List<InstanceId> instanceIds() {
        return all.stream().map(Identity::instanceId).toList();
    }
}
