package io.stopplane.model.registry;

import static io.stopplane.model.registry.RegistryFixtures.ACCOUNT;
import static io.stopplane.model.registry.RegistryFixtures.ACTIVATION;
import static io.stopplane.model.registry.RegistryFixtures.CODE;
import static io.stopplane.model.registry.RegistryFixtures.PUBLIC_KEY;
import static io.stopplane.model.registry.RegistryFixtures.REGION;
import static io.stopplane.model.registry.RegistryFixtures.T0;
import static io.stopplane.model.registry.RegistryFixtures.created;
import static io.stopplane.model.registry.RegistryFixtures.delete;
import static io.stopplane.model.registry.RegistryFixtures.deregister;
import static io.stopplane.model.registry.RegistryFixtures.disable;
import static io.stopplane.model.registry.RegistryFixtures.register;
import static io.stopplane.model.registry.RegistryFixtures.rename;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.json.StopPlaneJson;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RegistryFoldTest {

    private static RegistryState fold(RegistryEvent... events) {
        RegistryState s = null;
        for (RegistryEvent e : events) {
            s = RegistryFold.apply(s, e).state();
        }
        return s;
    }

    private static RegistrationOutcome outcome(RegistryFold.Result r) {
        return r.records().stream().filter(RegistrationOutcome.class::isInstance).map(RegistrationOutcome.class::cast)
                .findFirst().orElseThrow();
    }

    private static void assertRefused(RegistryState state, RegistrationRequested request, RegistrationError why) {
        RegistryFold.Result r = RegistryFold.apply(state, request);
        assertThat(r.records()).hasSize(1);
        RegistrationOutcome o = outcome(r);
        assertThat(o.accepted()).isFalse();
        assertThat(o.errorCode()).isEqualTo(why.code());
        assertThat(o.errorMessage()).isEqualTo(why.message());
        assertThat(o.requestId()).isEqualTo(request.requestId());
        assertThat(o.key()).isEqualTo("registration/" + request.requestId());
        assertThat(r.state().instances()).isEqualTo(state == null ? List.of() : state.instances());
        assertThat(r.state().activation()).isEqualTo(state == null ? null : state.activation());
        assertThat(r.tombstones()).isEmpty();
    }

    @Nested
    class Activations {

        @Test
        void createdWritesTheActivation() {
            RegistryFold.Result r = RegistryFold.apply(null, created(5, "10.0.0.0/8", "web"));
            ActivationRecord a = (ActivationRecord) r.records().get(0);
            assertThat(r.records()).hasSize(1);
            assertThat(a.key()).isEqualTo("activation/" + ACTIVATION);
            assertThat(a.accountId()).isEqualTo(ACCOUNT);
            assertThat(a.regionId()).isEqualTo(REGION);
            assertThat(a.instanceCount()).isEqualTo(5);
            assertThat(a.registeredCount()).isZero();
            assertThat(a.creationTime()).isEqualTo(T0);
            assertThat(a.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
            assertThat(a.ipAddressRange()).isEqualTo("10.0.0.0/8");
            assertThat(a.disabled()).isFalse();
            assertThat(a.version()).isEqualTo(1);
        }

        @Test
        void aSecondCreationOfTheSameIdChangesNothing() {
            RegistryState s = fold(created(5));
            RegistryFold.Result r = RegistryFold.apply(s, created(9));
            assertThat(r.changed()).isFalse();
            assertThat(r.state().activation().instanceCount()).isEqualTo(5);
        }

        @Test
        void disabledOnceThenIdempotent() {
            RegistryState s = fold(created(5));
            RegistryFold.Result r = RegistryFold.apply(s, disable());
            ActivationRecord a = (ActivationRecord) r.records().get(0);
            assertThat(a.disabled()).isTrue();
            assertThat(a.version()).isEqualTo(2);
            assertThat(RegistryFold.apply(r.state(), disable()).changed()).isFalse();
        }

        @Test
        void disablingOrDeletingAnUnknownActivationChangesNothing() {
            assertThat(RegistryFold.apply(null, disable()).changed()).isFalse();
            assertThat(RegistryFold.apply(null, delete()).changed()).isFalse();
        }

        @Test
        void deletedWithNoInstancesIsTombstoned() {
            RegistryFold.Result r = RegistryFold.apply(fold(created(5)), delete());
            assertThat(r.records()).isEmpty();
            assertThat(r.tombstones()).containsExactly("activation/" + ACTIVATION);
            assertThat(r.state().deleted()).isTrue();
            assertThat(r.state().activation()).isNull();
        }

        @Test
        void deletedOnceAllItsInstancesAreDeregistered() {
            RegistryFold.Result r = RegistryFold.apply(fold(created(5), register("mi-a"), deregister("mi-a")),
                    delete());
            assertThat(r.tombstones()).containsExactly("activation/" + ACTIVATION);
            // the deregistered instance stays known: its identity is revoked, never reused
            assertThat(r.state().instance("mi-a")).get().extracting(ManagedInstanceRecord::deregistered)
                    .isEqualTo(true);
        }

        @Test
        void deleteWithAnInstanceStillRegisteredDisablesInstead() {
            RegistryFold.Result r = RegistryFold.apply(fold(created(5), register("mi-a")), delete());
            assertThat(r.tombstones()).isEmpty();
            assertThat(r.records()).singleElement().isInstanceOfSatisfying(ActivationRecord.class,
                    a -> assertThat(a.disabled()).isTrue());
            assertThat(r.state().deleted()).isFalse();
        }

        @Test
        void aDeletedIdIsNeverCreatedAgain() {
            RegistryState s = fold(created(5), delete());
            RegistryFold.Result r = RegistryFold.apply(s, created(5));
            assertThat(r.changed()).isFalse();
            assertThat(r.state().activation()).isNull();
        }

        @Test
        void anEventOfAnotherActivationIsIgnored() {
            RegistryState other = new RegistryState("OTHER", null, false, null, null, null);
            assertThat(RegistryFold.apply(other, created(5)).changed()).isFalse();
        }
    }

    @Nested
    class Registration {

        @Test
        void acceptedWritesTheInstanceTheCountedActivationAndTheOutcome() {
            RegistrationRequested req = register("mi-abc");
            RegistryFold.Result r = RegistryFold.apply(fold(created(5)), req);
            assertThat(r.records()).hasSize(3);
            ManagedInstanceRecord i = (ManagedInstanceRecord) r.records().get(0);
            assertThat(i.key()).isEqualTo("instance/mi-abc");
            assertThat(i.instanceId()).isEqualTo(InstanceId.of("mi-abc"));
            assertThat(i.accountId()).isEqualTo(ACCOUNT); // from the activation, never from the agent
            assertThat(i.regionId()).isEqualTo(REGION);
            assertThat(i.activationId()).isEqualTo(ACTIVATION);
            assertThat(i.publicKey()).isEqualTo(PUBLIC_KEY);
            assertThat(i.keyAlgorithm()).isEqualTo("Ed25519");
            assertThat(i.ipAddress()).isEqualTo("10.0.0.1");
            assertThat(i.hostname()).isEqualTo("host-mi-abc");
            assertThat(i.instanceName()).isEqualTo("host-mi-abc"); // no prefix: the host's name
            assertThat(i.registrationTime()).isEqualTo(req.occurredAt());
            assertThat(i.deregistered()).isFalse();
            assertThat(i.version()).isEqualTo(1);
            ActivationRecord a = (ActivationRecord) r.records().get(1);
            assertThat(a.registeredCount()).isEqualTo(1);
            assertThat(a.version()).isEqualTo(2);
            RegistrationOutcome o = (RegistrationOutcome) r.records().get(2);
            assertThat(o.accepted()).isTrue();
            assertThat(o.instanceId()).isEqualTo(InstanceId.of("mi-abc"));
            assertThat(o.activationId()).isEqualTo(ACTIVATION);
            assertThat(o.at()).isEqualTo(req.occurredAt());
        }

        @Test
        void namesFollowThePrefixWithAsManyDigitsAsTheCount() {
            RegistryState s = fold(created(100, null, "web"), register("mi-a"));
            RegistryFold.Result r = RegistryFold.apply(s, register("mi-b"));
            assertThat(((ManagedInstanceRecord) r.records().get(0)).instanceName()).isEqualTo("web-002");
            assertThat(s.instance("mi-a").orElseThrow().instanceName()).isEqualTo("web-001");
        }

        @Test
        void unknownActivation() {
            assertRefused(null, register("mi-a"), RegistrationError.NOT_FOUND);
        }

        @Test
        void deletedActivation() {
            assertRefused(fold(created(5), delete()), register("mi-a"), RegistrationError.NOT_FOUND);
        }

        @Test
        void wrongCode() {
            assertRefused(fold(created(5)), register("mi-a", CODE + "x", "10.0.0.1", T0.plusSeconds(1)),
                    RegistrationError.WRONG_CODE);
        }

        @Test
        void disabled() {
            assertRefused(fold(created(5), disable()), register("mi-a"), RegistrationError.DISABLED);
        }

        @Test
        void expiredAtTheInstantItExpires() {
            RegistryState s = fold(created(5));
            assertRefused(s, register("mi-a", CODE, "10.0.0.1", T0.plus(Duration.ofHours(4))),
                    RegistrationError.EXPIRED);
            RegistryFold.Result justBefore = RegistryFold.apply(s,
                    register("mi-a", CODE, "10.0.0.1", T0.plus(Duration.ofHours(4)).minusMillis(1)));
            assertThat(outcome(justBefore).accepted()).isTrue();
        }

        @Test
        void addressOutsideTheRange() {
            RegistryState s = fold(created(5, "192.168.0.0/16", null));
            assertRefused(s, register("mi-a", CODE, "10.0.0.1", T0.plusSeconds(1)), RegistrationError.IP_NOT_ALLOWED);
            assertRefused(s, register("mi-a", CODE, null, T0.plusSeconds(1)), RegistrationError.IP_NOT_ALLOWED);
            assertThat(outcome(RegistryFold.apply(s, register("mi-a", CODE, "192.168.3.4", T0.plusSeconds(1))))
                    .accepted()).isTrue();
        }

        @Test
        void ipv6Range() {
            RegistryState s = fold(created(5, "2001:db8::/32", null));
            assertRefused(s, register("mi-a", CODE, "2001:db9::1", T0.plusSeconds(1)),
                    RegistrationError.IP_NOT_ALLOWED);
            assertThat(outcome(RegistryFold.apply(s, register("mi-a", CODE, "2001:db8::7", T0.plusSeconds(1))))
                    .accepted()).isTrue();
        }

        @Test
        void noRangeMeansAnyAddress() {
            assertThat(outcome(RegistryFold.apply(fold(created(5)), register("mi-a", CODE, "2001:db8::7",
                    T0.plusSeconds(1)))).accepted()).isTrue();
        }

        @Test
        void countExceededCountingDeregisteredOnes() {
            RegistryState s = fold(created(2), register("mi-a"), register("mi-b"));
            assertRefused(s, register("mi-c"), RegistrationError.COUNT_EXCEEDED);
            // a code's uses never come back
            assertRefused(fold(created(1), register("mi-a"), deregister("mi-a")), register("mi-c"),
                    RegistrationError.COUNT_EXCEEDED);
        }

        @Test
        void ofTwoRequestsForTheLastSlotTheFirstWins() {
            RegistryState s = fold(created(1));
            RegistryFold.Result first = RegistryFold.apply(s, register("mi-a"));
            RegistryFold.Result second = RegistryFold.apply(first.state(), register("mi-b"));
            assertThat(outcome(first).accepted()).isTrue();
            assertThat(outcome(second).errorCode()).isEqualTo(RegistrationError.COUNT_EXCEEDED.code());
        }

        @Test
        void instanceIdTaken() {
            assertRefused(fold(created(5), register("mi-a")), register("mi-a"), RegistrationError.INSTANCE_ID_TAKEN);
            assertRefused(fold(created(5), register("mi-a"), deregister("mi-a")), register("mi-a"),
                    RegistrationError.INSTANCE_ID_TAKEN);
        }

        @Test
        void invalidPublicKey() {
            RegistryState s = fold(created(5));
            RegistrationRequested good = register("mi-a");
            RegistrationRequested garbage = new RegistrationRequested(good.eventId(), ACTIVATION, good.occurredAt(),
                    good.requestId(), good.instanceId(), good.codeHash(), "bm90IGEga2V5", "Ed25519",
                    good.remoteAddress(), null, null, null, null);
            assertRefused(s, garbage, RegistrationError.INVALID_PUBLIC_KEY);
            RegistrationRequested rsa = new RegistrationRequested(good.eventId(), ACTIVATION, good.occurredAt(),
                    good.requestId(), good.instanceId(), good.codeHash(), PUBLIC_KEY, "RSA", good.remoteAddress(),
                    null, null, null, null);
            assertRefused(s, rsa, RegistrationError.INVALID_PUBLIC_KEY);
            RegistrationRequested notBase64 = new RegistrationRequested(good.eventId(), ACTIVATION, good.occurredAt(),
                    good.requestId(), good.instanceId(), good.codeHash(), "%%%", "Ed25519", good.remoteAddress(),
                    null, null, null, null);
            assertRefused(s, notBase64, RegistrationError.INVALID_PUBLIC_KEY);
            assertThat(Base64.getDecoder().decode(PUBLIC_KEY)).isNotEmpty();
        }

        @Test
        void checksInOrderSoAWrongCodeLearnsNothingMore() {
            // disabled, expired, out of range and used up: a wrong code is told only that the code is wrong
            RegistryState s = fold(created(1, "192.168.0.0/16", null), register("mi-a", CODE, "192.168.0.1",
                    T0.plusSeconds(1)), disable());
            assertRefused(s, register("mi-b", "guess", "10.0.0.1", T0.plus(Duration.ofDays(1))),
                    RegistrationError.WRONG_CODE);
        }

        @Test
        void aRepeatedEventIsNotDecidedTwice() {
            RegistrationRequested req = register("mi-a");
            RegistryState s = fold(created(5), req);
            RegistryFold.Result again = RegistryFold.apply(s, req);
            assertThat(again.changed()).isFalse();
            assertThat(again.state().activation().registeredCount()).isEqualTo(1);
        }

        @Test
        void aRepeatedRequestUnderANewEventIdIsNotDecidedTwice() {
            RegistrationRequested req = register("mi-a");
            RegistrationRequested retry = new RegistrationRequested("another-event", ACTIVATION, req.occurredAt(),
                    req.requestId(), req.instanceId(), req.codeHash(), req.publicKey(), req.keyAlgorithm(),
                    req.remoteAddress(), req.hostname(), req.osType(), req.agentVersion(), req.gatewayId());
            RegistryFold.Result accepted = RegistryFold.apply(fold(created(5), req), retry);
            assertThat(accepted.changed()).isFalse(); // not refused as a taken instance id

            RegistrationRequested wrong = register("mi-b", "guess", "10.0.0.1", T0.plusSeconds(1));
            RegistryState refused = fold(created(5), wrong);
            RegistrationRequested wrongRetry = new RegistrationRequested("yet-another", ACTIVATION,
                    wrong.occurredAt(), wrong.requestId(), wrong.instanceId(), wrong.codeHash(), wrong.publicKey(),
                    wrong.keyAlgorithm(), wrong.remoteAddress(), null, null, null, null);
            assertThat(RegistryFold.apply(refused, wrongRetry).changed()).isFalse();
        }

        @Test
        void rememberedIdsAreBounded() {
            RegistryState s = fold(created(5));
            for (int n = 0; n < RegistryState.RECENT + 10; n++) {
                s = RegistryFold.apply(s, register("mi-x" + n, "guess", "10.0.0.1", T0.plusSeconds(1))).state();
            }
            assertThat(s.recent()).hasSize(RegistryState.RECENT);
        }
    }

    @Nested
    class Instances {

        @Test
        void renamed() {
            RegistryFold.Result r = RegistryFold.apply(fold(created(5), register("mi-a")), rename("mi-a", "db-1"));
            ManagedInstanceRecord i = (ManagedInstanceRecord) r.records().get(0);
            assertThat(r.records()).hasSize(1);
            assertThat(i.instanceName()).isEqualTo("db-1");
            assertThat(i.version()).isEqualTo(2);
            assertThat(i.publicKey()).isEqualTo(PUBLIC_KEY);
        }

        @Test
        void renamingAnUnknownOrDeregisteredInstanceOrToItsNameChangesNothing() {
            RegistryState s = fold(created(5), register("mi-a"));
            assertThat(RegistryFold.apply(s, rename("mi-zz", "db-1")).changed()).isFalse();
            assertThat(RegistryFold.apply(s, rename("mi-a", "host-mi-a")).changed()).isFalse();
            assertThat(RegistryFold.apply(fold(created(5), register("mi-a"), deregister("mi-a")),
                    rename("mi-a", "db-1")).changed()).isFalse();
        }

        @Test
        void deregisteredOnceCountedOnTheActivation() {
            RegistryFold.Result r = RegistryFold.apply(fold(created(5), register("mi-a")), deregister("mi-a"));
            ManagedInstanceRecord i = (ManagedInstanceRecord) r.records().get(0);
            ActivationRecord a = (ActivationRecord) r.records().get(1);
            assertThat(i.deregistered()).isTrue();
            assertThat(i.deregistrationTime()).isEqualTo(T0.plusSeconds(150));
            assertThat(i.version()).isEqualTo(2);
            assertThat(a.deregisteredCount()).isEqualTo(1);
            assertThat(a.registeredCount()).isEqualTo(1);
            assertThat(RegistryFold.apply(r.state(), deregister("mi-a")).changed()).isFalse();
            assertThat(RegistryFold.apply(r.state(), deregister("mi-unknown")).changed()).isFalse();
        }
    }

    @Test
    void theStateSurvivesJson() {
        RegistryState s = fold(created(5, "10.0.0.0/8", "web"), register("mi-a"), rename("mi-a", "db"));
        var mapper = StopPlaneJson.mapper();
        RegistryState back = mapper.readValue(mapper.writeValueAsBytes(s), RegistryState.class);
        assertThat(back).isEqualTo(s);
    }

    @Test
    void recordsSurviveJsonUnderTheirLogicalType() {
        var mapper = StopPlaneJson.mapper();
        for (RegistryRecord r : RegistryFold.apply(fold(created(5)), register("mi-a")).records()) {
            String json = mapper.writeValueAsString(r);
            assertThat(mapper.readValue(json, RegistryRecord.class)).isEqualTo(r);
        }
    }
}
