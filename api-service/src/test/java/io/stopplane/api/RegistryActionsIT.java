package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.CreateActivationRequest;
import com.aliyun.ecs20140526.models.CreateActivationResponseBody;
import com.aliyun.ecs20140526.models.DeleteActivationRequest;
import com.aliyun.ecs20140526.models.DeleteActivationResponseBody;
import com.aliyun.ecs20140526.models.DeregisterManagedInstanceRequest;
import com.aliyun.ecs20140526.models.DeregisterManagedInstanceResponseBody;
import com.aliyun.ecs20140526.models.DescribeActivationsRequest;
import com.aliyun.ecs20140526.models.DescribeActivationsResponseBody;
import com.aliyun.ecs20140526.models.DescribeActivationsResponseBody.DescribeActivationsResponseBodyActivationList;
import com.aliyun.ecs20140526.models.DescribeManagedInstancesRequest;
import com.aliyun.ecs20140526.models.DescribeManagedInstancesResponseBody;
import com.aliyun.ecs20140526.models.DescribeManagedInstancesResponseBody.DescribeManagedInstancesResponseBodyInstances;
import com.aliyun.ecs20140526.models.DisableActivationRequest;
import com.aliyun.ecs20140526.models.ModifyManagedInstanceRequest;
import com.aliyun.ecs20140526.models.RunCommandRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.DispatchSwitch;
import io.stopplane.api.support.Gateways;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.registry.RegistrationRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Activations and managed instances through the official Java SDK ({@code com.aliyun:ecs20140526}): the whole life of
 * an activation and of an instance registered with it, tenant isolation, managed instances as RunCommand targets, and
 * each documented error. Registrations are written as a gateway writes them; a stand-in folds them as the dispatcher.
 */
class RegistryActionsIT extends ApiITSupport {

    private static final String A = "acct-registryA";
    private static final String B = "acct-registryB";

    @Autowired
    RegistryView registry;

    private Client client(String accessKeyId) throws Exception {
        return new Client(new Config().setAccessKeyId(accessKeyId).setAccessKeySecret("y")
                .setEndpoint("127.0.0.1:" + port).setProtocol("HTTP").setRegionId(REGION));
    }

    @Test
    void theLifeOfAnActivationAndOfAnInstanceRegisteredWithIt() throws Exception {
        Client ecs = client(A);
        CreateActivationResponseBody created = ecs.createActivation(new CreateActivationRequest().setRegionId(REGION)
                .setInstanceName("web").setInstanceCount(3).setTimeToLiveInHours(8L).setIpAddressRange("10.0.0.0/8")
                .setDescription("for the web fleet")).getBody();
        String activationId = created.getActivationId();
        assertThat(activationId).matches("[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}");
        assertThat(created.getActivationCode()).startsWith("a-").hasSizeGreaterThanOrEqualTo(2 + 22);
        assertThat(created.getRequestId()).isNotBlank();

        // read your own write: no wait
        DescribeActivationsResponseBodyActivationList shown = only(ecs, activationId);
        assertThat(shown.getInstanceName()).isEqualTo("web");
        assertThat(shown.getInstanceCount()).isEqualTo(3);
        assertThat(shown.getRegisteredCount()).isZero();
        assertThat(shown.getDeregisteredCount()).isZero();
        assertThat(shown.getDisabled()).isFalse();
        assertThat(shown.getIpAddressRange()).isEqualTo("10.0.0.0/8");
        assertThat(shown.getTimeToLiveInHours()).isEqualTo(8L);
        assertThat(shown.getDescription()).isEqualTo("for the web fleet");
        assertThat(Instant.parse(shown.getCreationTime())).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));

        String instanceId = register(activationId, created.getActivationCode(), "10.1.2.3");
        DescribeManagedInstancesResponseBodyInstances instance = ecs.describeManagedInstances(
                new DescribeManagedInstancesRequest().setRegionId(REGION).setInstanceId(List.of(instanceId)))
                .getBody().getInstances().get(0);
        assertThat(instance.getInstanceName()).isEqualTo("web-1");
        assertThat(instance.getActivationId()).isEqualTo(activationId);
        assertThat(instance.getHostname()).isEqualTo("host-" + instanceId);
        assertThat(instance.getIntranetIp()).isEqualTo("10.1.2.3");
        assertThat(instance.getInternetIp()).isEmpty();
        assertThat(instance.getOsType()).isEqualTo("linux");
        assertThat(instance.getAgentVersion()).isEqualTo("0.1.0");
        assertThat(instance.getConnected()).isFalse(); // no heartbeat yet
        assertThat(instance.getInvocationCount()).isZero();
        assertThat(only(ecs, activationId).getRegisteredCount()).isEqualTo(1);

        assertThat(ecs.modifyManagedInstance(new ModifyManagedInstanceRequest().setRegionId(REGION)
                .setInstanceId(instanceId).setInstanceName("db-primary")).getBody().getInstance().getInstanceName())
                .isEqualTo("db-primary");
        assertThat(ecs.describeManagedInstances(new DescribeManagedInstancesRequest().setRegionId(REGION)
                .setInstanceName("db-primary")).getBody().getInstances())
                .extracting(DescribeManagedInstancesResponseBodyInstances::getInstanceId).containsExactly(instanceId);

        // an activation with an instance still registered cannot be deleted
        assertError(403, "ActivationId.InUse", () -> ecs.deleteActivation(new DeleteActivationRequest()
                .setRegionId(REGION).setActivationId(activationId)));

        assertThat(ecs.disableActivation(new DisableActivationRequest().setRegionId(REGION)
                .setActivationId(activationId)).getBody().getActivation().getDisabled()).isTrue();
        assertThat(only(ecs, activationId).getDisabled()).isTrue();

        DeregisterManagedInstanceResponseBody.DeregisterManagedInstanceResponseBodyInstance gone =
                ecs.deregisterManagedInstance(new DeregisterManagedInstanceRequest().setRegionId(REGION)
                        .setInstanceId(instanceId)).getBody().getInstance();
        assertThat(gone.getInstanceId()).isEqualTo(instanceId);
        assertThat(gone.getInstanceName()).isEqualTo("db-primary");
        assertThat(ecs.describeManagedInstances(new DescribeManagedInstancesRequest().setRegionId(REGION)
                .setInstanceId(List.of(instanceId))).getBody().getInstances()).isEmpty();
        assertThat(only(ecs, activationId).getDeregisteredCount()).isEqualTo(1);
        assertError(404, "InvalidInstance.NotFound", () -> ecs.deregisterManagedInstance(
                new DeregisterManagedInstanceRequest().setRegionId(REGION).setInstanceId(instanceId)));

        DeleteActivationResponseBody deleted = ecs.deleteActivation(new DeleteActivationRequest().setRegionId(REGION)
                .setActivationId(activationId)).getBody();
        assertThat(deleted.getActivation().getActivationId()).isEqualTo(activationId);
        assertThat(describe(ecs, new DescribeActivationsRequest().setActivationId(activationId))
                .getActivationList()).isEmpty();
        // the fold's tombstone arrives and the activation stays gone
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.activation(activationId).isEmpty());
        assertError(404, "ActivationId.NotFound", () -> ecs.disableActivation(new DisableActivationRequest()
                .setRegionId(REGION).setActivationId(activationId)));
    }

    @Test
    void anotherAccountCannotSeeDisableDeleteModifyOrDeregister() throws Exception {
        Client a = client(A);
        Client b = client(B);
        CreateActivationResponseBody created = a.createActivation(new CreateActivationRequest().setRegionId(REGION)
                .setInstanceCount(2)).getBody();
        String activationId = created.getActivationId();
        String instanceId = register(activationId, created.getActivationCode(), "203.0.113.5");

        assertThat(describe(b, new DescribeActivationsRequest()).getActivationList())
                .extracting(DescribeActivationsResponseBodyActivationList::getActivationId)
                .doesNotContain(activationId);
        assertThat(b.describeManagedInstances(new DescribeManagedInstancesRequest().setRegionId(REGION))
                .getBody().getInstances()).extracting(DescribeManagedInstancesResponseBodyInstances::getInstanceId)
                .doesNotContain(instanceId);
        assertThat(b.describeManagedInstances(new DescribeManagedInstancesRequest().setRegionId(REGION)
                .setInstanceId(List.of(instanceId))).getBody().getTotalCount()).isZero();
        assertError(404, "ActivationId.NotFound", () -> b.disableActivation(new DisableActivationRequest()
                .setRegionId(REGION).setActivationId(activationId)));
        assertError(404, "ActivationId.NotFound", () -> b.deleteActivation(new DeleteActivationRequest()
                .setRegionId(REGION).setActivationId(activationId)));
        assertError(404, "InvalidInstance.NotFound", () -> b.modifyManagedInstance(new ModifyManagedInstanceRequest()
                .setRegionId(REGION).setInstanceId(instanceId).setInstanceName("stolen")));
        assertError(404, "InvalidInstance.NotFound", () -> b.deregisterManagedInstance(
                new DeregisterManagedInstanceRequest().setRegionId(REGION).setInstanceId(instanceId)));
        // the account-less local caller is another tenant too
        assertError(404, "ActivationId.NotFound", () -> client("local").disableActivation(
                new DisableActivationRequest().setRegionId(REGION).setActivationId(activationId)));

        // nothing changed for A
        DescribeActivationsResponseBodyActivationList mine = only(a, activationId);
        assertThat(mine.getDisabled()).isFalse();
        assertThat(mine.getRegisteredCount()).isEqualTo(1);
        assertThat(a.describeManagedInstances(new DescribeManagedInstancesRequest().setRegionId(REGION)
                .setInstanceId(List.of(instanceId))).getBody().getInstances().get(0).getInternetIp())
                .isEqualTo("203.0.113.5");
        // and in another region A does not see it either: activations are regional
        assertThat(a.describeActivations(new DescribeActivationsRequest().setRegionId("cn-beijing")
                .setActivationId(activationId)).getBody().getActivationList()).isEmpty();
    }

    @Test
    void aManagedInstanceIsATargetOfItsRegistrationsAccountWhateverItsHeartbeatSays() throws Exception {
        Client a = client(A);
        CreateActivationResponseBody created = a.createActivation(new CreateActivationRequest().setRegionId(REGION)
                .setInstanceCount(1)).getBody();
        String instanceId = register(created.getActivationId(), created.getActivationCode(), "10.0.0.9");
        // a heartbeat claiming B's account (a lying agent, or one of before the gateway) decides nothing
        registerIn(REGION, "registryB", instanceId);

        assertError(404, "InvalidInstance.NotFound", () -> client(B).runCommand(runOn(instanceId)));
        assertThat(a.runCommand(runOn(instanceId)).getBody().getInvokeId()).startsWith("t-");
        assertThat(a.describeManagedInstances(new DescribeManagedInstancesRequest().setRegionId(REGION)
                .setInstanceId(List.of(instanceId))).getBody().getInstances().get(0).getConnected()).isTrue();

        a.deregisterManagedInstance(new DeregisterManagedInstanceRequest().setRegionId(REGION)
                .setInstanceId(instanceId));
        assertError(404, "InvalidInstance.NotFound", () -> a.runCommand(runOn(instanceId)));
        assertError(404, "InvalidInstance.NotFound", () -> client(B).runCommand(runOn(instanceId)));
    }

    @Test
    void pagingWithNextTokenAndWithPageNumber() throws Exception {
        Client ecs = client("acct-registryPaging");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(ecs.createActivation(new CreateActivationRequest().setRegionId(REGION)).getBody()
                    .getActivationId());
        }
        DescribeActivationsResponseBody first = describe(ecs, new DescribeActivationsRequest().setMaxResults(2));
        assertThat(first.getTotalCount()).isEqualTo(3);
        assertThat(first.getActivationList()).hasSize(2);
        assertThat(first.getNextToken()).isNotEmpty();
        DescribeActivationsResponseBody second = describe(ecs, new DescribeActivationsRequest().setMaxResults(2)
                .setNextToken(first.getNextToken()));
        assertThat(second.getActivationList()).hasSize(1);
        assertThat(second.getNextToken()).isEmpty();
        List<String> listed = new java.util.ArrayList<>();
        first.getActivationList().forEach(x -> listed.add(x.getActivationId()));
        second.getActivationList().forEach(x -> listed.add(x.getActivationId()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        DescribeActivationsResponseBody page2 = describe(ecs, new DescribeActivationsRequest().setPageSize(2L)
                .setPageNumber(2L));
        assertThat(page2.getPageNumber()).isEqualTo(2L);
        assertThat(page2.getActivationList()).extracting(DescribeActivationsResponseBodyActivationList::getActivationId)
                .containsExactlyElementsOf(second.getActivationList().stream()
                        .map(DescribeActivationsResponseBodyActivationList::getActivationId).toList());
        assertError(400, "InvalidParameter", () -> ecs.describeActivations(new DescribeActivationsRequest()
                .setRegionId(REGION).setMaxResults(51)));
    }

    @Test
    void eachDocumentedErrorOfCreateActivation() throws Exception {
        Client ecs = client(A);
        assertError(400, "ActivationLimitation.Invalid", () -> ecs.createActivation(create().setInstanceCount(1001)));
        assertError(400, "InvalidParameter", () -> ecs.createActivation(create().setInstanceCount(0)));
        assertError(400, "ActivationTTL.ExceedLimit", () -> ecs.createActivation(create()
                .setTimeToLiveInHours(876_577L)));
        assertError(400, "AddressRange.InvalidPattern", () -> ecs.createActivation(create()
                .setIpAddressRange("10.0.0.0/33")));
        assertError(400, "AddressRange.InvalidPattern", () -> ecs.createActivation(create()
                .setIpAddressRange("example.com")));
        assertError(400, "InstanceName.InvalidPattern", () -> ecs.createActivation(create().setInstanceName("1web")));
        assertError(400, "InstanceName.InvalidPattern", () -> ecs.createActivation(create()
                .setInstanceName("http://x")));
        assertError(400, "InstanceName.ExceedLimit", () -> ecs.createActivation(create()
                .setInstanceName("w".repeat(51))));
        assertError(400, "ActivationDesc.ExceedLimit", () -> ecs.createActivation(create()
                .setDescription("d".repeat(101))));
        assertError(404, "InvalidRegionId.NotFound", () -> ecs.createActivation(create().setRegionId("cn-nowhere")));
        assertError(400, "RegionId.ApiNotSupported", () -> ecs.createActivation(create().setRegionId("cn-nocloud")));
        assertError(403, "Operation.Forbidden", () -> client("forbidden").createActivation(create()));
        DispatchSwitch.broken.set(true);
        try {
            assertError(500, "InternalError.Dispatch", () -> ecs.createActivation(create()));
        } finally {
            DispatchSwitch.broken.set(false);
        }
        // IPv6, a single address and the default count are fine
        assertThat(ecs.createActivation(create().setIpAddressRange("2001:db8::/32")).getBody().getActivationId())
                .isNotBlank();
        String single = ecs.createActivation(create().setIpAddressRange("198.51.100.7")).getBody().getActivationId();
        assertThat(only(ecs, single).getInstanceCount()).isEqualTo(10);
        assertThat(only(ecs, single).getTimeToLiveInHours()).isEqualTo(4L);
    }

    @Test
    void eachDocumentedErrorOfTheOtherActions() throws Exception {
        Client ecs = client(A);
        assertError(400, "MissingParameter", () -> ecs.disableActivation(new DisableActivationRequest()
                .setRegionId(REGION)));
        assertError(404, "ActivationId.NotFound", () -> ecs.disableActivation(new DisableActivationRequest()
                .setRegionId(REGION).setActivationId(UUID.randomUUID().toString())));
        assertError(404, "ActivationId.NotFound", () -> ecs.deleteActivation(new DeleteActivationRequest()
                .setRegionId(REGION).setActivationId(UUID.randomUUID().toString())));
        assertError(404, "InvalidInstance.NotFound", () -> ecs.modifyManagedInstance(
                new ModifyManagedInstanceRequest().setRegionId(REGION).setInstanceId("mi-nobody0000000000001")
                        .setInstanceName("x1")));
        assertError(400, "InvalidParameter", () -> ecs.deregisterManagedInstance(
                new DeregisterManagedInstanceRequest().setRegionId(REGION).setInstanceId("not an id")));
        assertError(400, "MissingParameter", () -> ecs.modifyManagedInstance(new ModifyManagedInstanceRequest()
                .setRegionId(REGION).setInstanceId("mi-nobody0000000000001")));
        assertError(400, "InstanceName.InvalidPattern", () -> ecs.modifyManagedInstance(
                new ModifyManagedInstanceRequest().setRegionId(REGION).setInstanceId("mi-nobody0000000000001")
                        .setInstanceName("-bad")));
        assertError(400, "InstanceName.ExceedLimit", () -> ecs.modifyManagedInstance(
                new ModifyManagedInstanceRequest().setRegionId(REGION).setInstanceId("mi-nobody0000000000001")
                        .setInstanceName("n".repeat(129))));
        assertError(403, "InstanceIds.ExceedLimit", () -> ecs.describeManagedInstances(
                new DescribeManagedInstancesRequest().setRegionId(REGION).setInstanceId(
                        java.util.stream.IntStream.range(0, 51).mapToObj(i -> "mi-many" + i).toList())));
        assertError(403, "Operation.Forbidden", () -> client("forbidden").describeActivations(
                new DescribeActivationsRequest().setRegionId(REGION)));
        assertError(400, "RegionId.ApiNotSupported", () -> ecs.describeManagedInstances(
                new DescribeManagedInstancesRequest().setRegionId("cn-nocloud")));
    }

    /**
     * The older SDK, in XML, where lists are wrapped ({@code <ActivationList><Activation>…}). Its JSON reader cannot
     * read a list that is a bare JSON array (it wants the older {@code {"ActivationList":{"Activation":[…]}}}), and
     * these actions answer in JSON, as Alibaba documents and the newer SDK reads them, with bare arrays.
     */
    @ParameterizedTest
    @EnumSource(value = FormatType.class, names = {"XML"})
    void theOlderSdkInXml(FormatType format) throws Exception {
        IAcsClient ecs = new DefaultAcsClient(DefaultProfile.getProfile(REGION, "acct-registryPop" + format, "y"));
        com.aliyuncs.ecs.model.v20140526.CreateActivationRequest create = pop(
                new com.aliyuncs.ecs.model.v20140526.CreateActivationRequest(), format);
        create.setInstanceCount(2);
        create.setInstanceName("pop");
        com.aliyuncs.ecs.model.v20140526.CreateActivationResponse created = ecs.getAcsResponse(create);
        String instanceId = register(created.getActivationId(), created.getActivationCode(), "10.3.3.3");
        register(created.getActivationId(), created.getActivationCode(), "10.3.3.4");

        var describe = pop(new com.aliyuncs.ecs.model.v20140526.DescribeActivationsRequest(), format);
        var activations = ecs.getAcsResponse(describe);
        assertThat(activations.getTotalCount()).isEqualTo(1L);
        assertThat(activations.getActivationList()).singleElement().satisfies(a -> {
            assertThat(a.getActivationId()).isEqualTo(created.getActivationId());
            assertThat(a.getRegisteredCount()).isEqualTo(2);
            assertThat(a.getDisabled()).isFalse();
        });
        var instances = ecs.getAcsResponse(pop(new com.aliyuncs.ecs.model.v20140526.DescribeManagedInstancesRequest(),
                format));
        assertThat(instances.getTotalCount()).isEqualTo(2L);
        assertThat(instances.getInstances()).extracting(i -> i.getInstanceName())
                .containsExactlyInAnyOrder("pop-1", "pop-2");
        var deregister = pop(new com.aliyuncs.ecs.model.v20140526.DeregisterManagedInstanceRequest(), format);
        deregister.setInstanceId(instanceId);
        assertThat(ecs.getAcsResponse(deregister).getInstance().getInstanceId()).isEqualTo(instanceId);
        var disable = pop(new com.aliyuncs.ecs.model.v20140526.DisableActivationRequest(), format);
        disable.setActivationId(created.getActivationId());
        assertThat(ecs.getAcsResponse(disable).getActivation().getDisabled()).isTrue();
    }

    private <T extends AcsResponse, R extends AcsRequest<T>> R pop(R request, FormatType format) {
        request.setSysEndpoint("127.0.0.1:" + port);
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysAcceptFormat(format);
        return request;
    }

    /** Registers as an agent through a gateway would, and waits until this API's view has the instance. */
    private String register(String activationId, String code, String from) {
        String instanceId = "mi-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        RegistrationRequested request = Gateways.registration(activationId, code, instanceId, from);
        kafka.registryEvent(request);
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.instance(InstanceId.of(instanceId))
                .filter(i -> !i.deregistered()).map(ManagedInstanceRecord::activationId)
                .filter(activationId::equals).isPresent());
        return instanceId;
    }

    private static CreateActivationRequest create() {
        return new CreateActivationRequest().setRegionId(REGION);
    }

    private static RunCommandRequest runOn(String instanceId) {
        return new RunCommandRequest().setRegionId(REGION).setType("RunShellScript").setCommandContent("sleep 600")
                .setInstanceId(List.of(instanceId));
    }

    private static DescribeActivationsResponseBody describe(Client ecs, DescribeActivationsRequest request)
            throws Exception {
        return ecs.describeActivations(request.setRegionId(REGION)).getBody();
    }

    private static DescribeActivationsResponseBodyActivationList only(Client ecs, String activationId)
            throws Exception {
        List<DescribeActivationsResponseBodyActivationList> list = describe(ecs,
                new DescribeActivationsRequest().setActivationId(activationId)).getActivationList();
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(d.toSeconds(), java.time.temporal.ChronoUnit.SECONDS);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertError(int status, String code, Call call) {
        TeaException e = catchThrowableOfType(TeaException.class, () -> call.run());
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.getCode()).isEqualTo(code);
        assertThat(e.getStatusCode()).isEqualTo(status);
        assertThat(e.getData()).containsKeys("RequestId", "HostId", "Recommend");
    }
}
