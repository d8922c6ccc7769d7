package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.CreateCommandRequest;
import com.aliyun.ecs20140526.models.DeleteCommandRequest;
import com.aliyun.ecs20140526.models.DescribeCommandsRequest;
import com.aliyun.ecs20140526.models.DescribeCommandsResponseBody;
import com.aliyun.ecs20140526.models.DescribeCommandsResponseBody.DescribeCommandsResponseBodyCommandsCommand;
import com.aliyun.ecs20140526.models.DescribeInvocationsRequest;
import com.aliyun.ecs20140526.models.DescribeInvocationsResponseBody.DescribeInvocationsResponseBodyInvocationsInvocation;
import com.aliyun.ecs20140526.models.InvokeCommandRequest;
import com.aliyun.ecs20140526.models.ModifyCommandRequest;
import com.aliyun.ecs20140526.models.RunCommandRequest;
import com.aliyun.ecs20140526.models.RunCommandResponseBody;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import io.stopplane.api.support.ApiITSupport;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicFollower;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * The command library and parameters through the official Java SDK ({@code com.aliyun:ecs20140526}) on a real broker:
 * a command's whole life (create, describe, invoke with parameters on two instances, each of which is sent its own
 * content, modify, delete), refusals before anything is published, tenant isolation, KeepCommand, and the library as a
 * second replica (or this one restarted) reads it from its topic.
 */
class CommandLibraryIT extends ApiITSupport {

    private static final String A = "acct-libraryA";
    private static final String B = "acct-libraryB";
    private static final String TEMPLATE = "echo {{greeting}} from {{ACS::InstanceId}} in {{ACS::RegionId}}"
            + " by {{ ACS::CommandId }} as {{ACS::InvokeId}}; docker ps --format '{{.Names}}'";

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    KafkaProperties kafkaProperties;

    @Autowired
    DeadLetters deadLetters;

    private KafkaConsumer<String, String> consumer;
    private final List<InstanceCommand> commands = new ArrayList<>();
    private final List<InvocationEvent> events = new ArrayList<>();

    @BeforeEach
    void consume() {
        registerIn(REGION, "libraryA", "i-lib0001", "i-lib0002");
        registerIn(REGION, "libraryB", "i-lib0003");
        Map<String, Object> c = KafkaTestUtils.consumerProps(broker, "library-it", false);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.INSTANCE_COMMANDS.name(), Topics.INVOCATION_EVENTS.name())) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    private Client client(String accessKeyId) throws Exception {
        return new Client(new Config().setAccessKeyId(accessKeyId).setAccessKeySecret("y")
                .setEndpoint("127.0.0.1:" + port).setProtocol("HTTP").setRegionId(REGION));
    }

    @Test
    void aCommandsLifeRunsEachTargetWithItsOwnBuiltInsAndEndsInvocableByNoOne() throws Exception {
        Client ecs = client(A);
        String commandId = ecs.createCommand(new CreateCommandRequest().setRegionId(REGION).setName("greet")
                .setType("RunShellScript").setCommandContent(base64(TEMPLATE)).setEnableParameter(true)
                .setDescription("says hello").setTimeout(30L).setWorkingDir("/tmp")).getBody().getCommandId();
        assertThat(commandId).matches("c-[0-9a-f]{32}");

        DescribeCommandsResponseBodyCommandsCommand shown = only(ecs, commandId);
        assertThat(shown.getName()).isEqualTo("greet");
        assertThat(shown.getType()).isEqualTo("RunShellScript");
        assertThat(shown.getDescription()).isEqualTo("says hello");
        assertThat(shown.getTimeout()).isEqualTo(30L);
        assertThat(shown.getWorkingDir()).isEqualTo("/tmp");
        assertThat(shown.getEnableParameter()).isTrue();
        assertThat(shown.getParameterNames().getParameterName()).containsExactly("greeting");
        assertThat(new String(Base64.getDecoder().decode(shown.getCommandContent()), StandardCharsets.UTF_8))
                .isEqualTo(TEMPLATE);
        assertThat(shown.getCreationTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(shown.getInvokeTimes()).isZero();

        String invokeId = ecs.invokeCommand(new InvokeCommandRequest().setRegionId(REGION).setCommandId(commandId)
                .setInstanceId(List.of("i-lib0001", "i-lib0002")).setParameters(Map.of("greeting", "hello")))
                .getBody().getInvokeId();
        List<RunCommand> runs = awaitRuns(invokeId, 2);
        assertThat(runs).extracting(r -> r.command().content()).containsExactlyInAnyOrder(
                "echo hello from i-lib0001 in cn-hangzhou by " + commandId + " as " + invokeId
                        + "; docker ps --format '{{.Names}}'",
                "echo hello from i-lib0002 in cn-hangzhou by " + commandId + " as " + invokeId
                        + "; docker ps --format '{{.Names}}'");
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.command().commandId().value()).isEqualTo(commandId);
            assertThat(r.command().timeoutSeconds()).isEqualTo(30);
            assertThat(r.command().workingDir()).isEqualTo("/tmp");
        });
        InvocationCreated created = created(invokeId);
        assertThat(created.command().content()).isEqualTo(TEMPLATE);
        assertThat(created.parameters()).isEqualTo(Map.of("greeting", "hello"));

        List<DescribeInvocationsResponseBodyInvocationsInvocation> byCommand = ecs.describeInvocations(
                new DescribeInvocationsRequest().setRegionId(REGION).setCommandId(commandId)).getBody()
                .getInvocations().getInvocation();
        assertThat(byCommand).extracting(i -> i.getInvokeId()).containsExactly(invokeId);
        assertThat(ecs.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION)
                .setCommandName("greet")).getBody().getInvocations().getInvocation())
                .extracting(i -> i.getInvokeId()).contains(invokeId);
        assertThat(only(ecs, commandId).getInvokeTimes()).isEqualTo(1);

        ecs.modifyCommand(new ModifyCommandRequest().setRegionId(REGION).setCommandId(commandId)
                .setName("greet-2").setCommandContent(base64("echo {{farewell}} {{ACS::InstanceId}}")));
        DescribeCommandsResponseBodyCommandsCommand modified = only(ecs, commandId);
        assertThat(modified.getName()).isEqualTo("greet-2");
        assertThat(modified.getDescription()).isEqualTo("says hello");
        assertThat(modified.getParameterNames().getParameterName()).containsExactly("farewell");
        String second = ecs.invokeCommand(new InvokeCommandRequest().setRegionId(REGION).setCommandId(commandId)
                .setInstanceId(List.of("i-lib0001")).setParameters(Map.of("farewell", "bye"))).getBody()
                .getInvokeId();
        assertThat(awaitRuns(second, 1)).extracting(r -> r.command().content()).containsExactly("echo bye i-lib0001");

        ecs.deleteCommand(new DeleteCommandRequest().setRegionId(REGION).setCommandId(commandId));
        assertThat(list(ecs, new DescribeCommandsRequest().setRegionId(REGION).setCommandId(commandId))
                .getTotalCount()).isZero();
        assertError(() -> ecs.invokeCommand(new InvokeCommandRequest().setRegionId(REGION).setCommandId(commandId)
                .setInstanceId(List.of("i-lib0001")).setParameters(Map.of("farewell", "bye"))), 404,
                "InvalidCommandId.NotFound");
        assertError(() -> ecs.deleteCommand(new DeleteCommandRequest().setRegionId(REGION)
                .setCommandId(commandId)), 404, "InvalidCommandId.NotFound");
        // what was invoked before stays listed under the command's id
        assertThat(ecs.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION)
                .setCommandId(commandId)).getBody().getTotalCount()).isEqualTo(2);
    }

    @Test
    void aMissingOrUnexpectedParameterIsRefusedBeforeAnythingIsPublished() throws Exception {
        Client ecs = client(A);
        String commandId = create(ecs, "echo {{a}} {{b}}", true);
        assertError(() -> ecs.invokeCommand(invoke(commandId).setParameters(Map.of("a", "1"))), 400,
                "InvalidParameter", "b");
        assertError(() -> ecs.invokeCommand(invoke(commandId)), 400, "InvalidParameter", "a, b");
        assertError(() -> ecs.invokeCommand(invoke(commandId).setParameters(Map.of("a", "1", "b", "2", "c", "3"))),
                400, "InvalidParameter", "no parameter c");
        // RunCommand checks its own content the same way
        assertError(() -> ecs.runCommand(new RunCommandRequest().setRegionId(REGION).setType("RunShellScript")
                .setCommandContent("echo {{x}}").setEnableParameter(true).setInstanceId(List.of("i-lib0001"))),
                400, "InvalidParameter", "x");
        assertError(() -> ecs.runCommand(new RunCommandRequest().setRegionId(REGION).setType("RunShellScript")
                .setCommandContent("echo {{x}}").setParameters(Map.of("x", "1")).setInstanceId(List.of("i-lib0001"))),
                400, "InvalidParameter", "EnableParameter");
        assertError(() -> ecs.createCommand(new CreateCommandRequest().setRegionId(REGION).setName("bad")
                .setType("RunShellScript").setCommandContent(base64("echo {{ACS::Password}}"))
                .setEnableParameter(true)), 400, "InvalidParameter", "ACS::Password");
        assertThat(ecs.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION)
                .setCommandId(commandId)).getBody().getTotalCount()).isZero();

        String ok = ecs.invokeCommand(invoke(commandId).setParameters(Map.of("a", "1", "b", 2))).getBody()
                .getInvokeId();
        assertThat(awaitRuns(ok, 1)).extracting(r -> r.command().content()).containsExactly("echo 1 2");
    }

    @Test
    void invokeCommandsClientTokenGivesTheSameInvocationForTheSameParametersOnly() throws Exception {
        Client ecs = client(A);
        String commandId = create(ecs, "echo {{a}}", true);
        String token = java.util.UUID.randomUUID().toString();
        String first = ecs.invokeCommand(invoke(commandId).setParameters(Map.of("a", "1")).setClientToken(token))
                .getBody().getInvokeId();
        String again = ecs.invokeCommand(invoke(commandId).setParameters(Map.of("a", "1")).setClientToken(token))
                .getBody().getInvokeId();
        assertThat(again).isEqualTo(first);
        assertError(() -> ecs.invokeCommand(invoke(commandId).setParameters(Map.of("a", "2")).setClientToken(token)),
                403, "IdempotentParameterMismatch");
        assertThat(awaitRuns(first, 1)).extracting(r -> r.command().content()).containsExactly("echo 1");
    }

    @Test
    void anotherAccountNeitherSeesNorInvokesNorChangesACommand() throws Exception {
        String commandId = create(client(A), "echo mine", false);
        Client other = client(B);
        assertThat(list(other, new DescribeCommandsRequest().setRegionId(REGION)).getCommands().getCommand())
                .extracting(c -> c.getCommandId()).doesNotContain(commandId);
        assertThat(list(other, new DescribeCommandsRequest().setRegionId(REGION).setCommandId(commandId))
                .getTotalCount()).isZero();
        assertError(() -> other.invokeCommand(new InvokeCommandRequest().setRegionId(REGION).setCommandId(commandId)
                .setInstanceId(List.of("i-lib0003"))), 404, "InvalidCommandId.NotFound");
        assertError(() -> other.modifyCommand(new ModifyCommandRequest().setRegionId(REGION).setCommandId(commandId)
                .setName("theirs")), 404, "InvalidCommandId.NotFound");
        assertError(() -> other.deleteCommand(new DeleteCommandRequest().setRegionId(REGION)
                .setCommandId(commandId)), 404, "InvalidCommandId.NotFound");
        assertThat(only(client(A), commandId).getName()).isEqualTo("cmd");
    }

    @Test
    void keepCommandSavesRunCommandsCommandUnderTheIdItAnswers() throws Exception {
        Client ecs = client(A);
        RunCommandResponseBody kept = ecs.runCommand(new RunCommandRequest().setRegionId(REGION)
                .setType("RunShellScript").setCommandContent("echo {{who}} on {{ACS::InstanceId}}")
                .setEnableParameter(true).setParameters(Map.of("who", "me")).setName("kept").setKeepCommand(true)
                .setInstanceId(List.of("i-lib0001"))).getBody();
        assertThat(awaitRuns(kept.getInvokeId(), 1)).extracting(r -> r.command().content())
                .containsExactly("echo me on i-lib0001");
        DescribeCommandsResponseBodyCommandsCommand shown = only(ecs, kept.getCommandId());
        assertThat(shown.getName()).isEqualTo("kept");
        assertThat(shown.getParameterNames().getParameterName()).containsExactly("who");
        String again = ecs.invokeCommand(new InvokeCommandRequest().setRegionId(REGION)
                .setCommandId(kept.getCommandId()).setInstanceId(List.of("i-lib0002"))
                .setParameters(Map.of("who", "you"))).getBody().getInvokeId();
        assertThat(awaitRuns(again, 1)).extracting(r -> r.command().content()).containsExactly("echo you on i-lib0002");

        RunCommandResponseBody notKept = ecs.runCommand(new RunCommandRequest().setRegionId(REGION)
                .setType("RunShellScript").setCommandContent("true").setInstanceId(List.of("i-lib0001"))).getBody();
        assertThat(list(ecs, new DescribeCommandsRequest().setRegionId(REGION).setCommandId(notKept.getCommandId()))
                .getTotalCount()).isZero();
    }

    @Test
    void describeCommandsPagesInBothStylesNewestFirst() throws Exception {
        Client ecs = client("acct-libraryPaging");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create(ecs, "echo " + i, false));
        }
        DescribeCommandsResponseBody page2 = list(ecs, new DescribeCommandsRequest().setRegionId(REGION)
                .setPageNumber(2L).setPageSize(2L));
        assertThat(page2.getTotalCount()).isEqualTo(3);
        assertThat(page2.getPageNumber()).isEqualTo(2);
        assertThat(page2.getCommands().getCommand()).hasSize(1);
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            DescribeCommandsResponseBody page = list(ecs, new DescribeCommandsRequest().setRegionId(REGION)
                    .setMaxResults(1).setNextToken(token));
            page.getCommands().getCommand().forEach(c -> seen.add(c.getCommandId()));
            token = page.getNextToken();
        } while (token != null && !token.isEmpty());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
        assertThat(list(ecs, new DescribeCommandsRequest().setRegionId(REGION).setName("cmd").setType(
                "RunBatScript")).getTotalCount()).isZero();
        assertThat(list(ecs, new DescribeCommandsRequest().setRegionId(REGION).setContentEncoding("PlainText"))
                .getCommands().getCommand()).extracting(c -> c.getCommandContent())
                .containsExactlyInAnyOrder("echo 0", "echo 1", "echo 2");
    }

    @Test
    void aReplicaStartedLaterReadsTheSameLibraryFromTheTopic() throws Exception {
        Client ecs = client(A);
        String commandId = create(ecs, "echo {{x}}", true);
        ecs.modifyCommand(new ModifyCommandRequest().setRegionId(REGION).setCommandId(commandId).setTimeout(99L));
        Map<String, LibraryCommand> replica = new ConcurrentHashMap<>();
        TopicFollower follower = new TopicFollower(Topics.COMMAND_LIBRARY.name(),
                kafkaProperties.buildConsumerProperties(), TopicFollower.Table.ofJson(LibraryCommand.class,
                        replica::put, replica::remove, () -> { }), deadLetters, null);
        follower.start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                LibraryCommand c = replica.get(commandId);
                assertThat(c).isNotNull();
                assertThat(c.version()).isEqualTo(2);
                assertThat(c.timeoutSeconds()).isEqualTo(99);
                assertThat(c.parameterNames()).containsExactly("x");
                assertThat(c.accountId()).isEqualTo("libraryA");
                assertThat(c.caller().accessKeyId()).isEqualTo(A);
            });
            ecs.deleteCommand(new DeleteCommandRequest().setRegionId(REGION).setCommandId(commandId));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(replica.get(commandId).deleted()).isTrue();
                assertThat(replica.get(commandId).content()).isNull();
            });
        } finally {
            follower.stop();
        }
    }

    private static InvokeCommandRequest invoke(String commandId) {
        return new InvokeCommandRequest().setRegionId(REGION).setCommandId(commandId)
                .setInstanceId(List.of("i-lib0001"));
    }

    private static String create(Client ecs, String content, boolean parameters) throws Exception {
        return ecs.createCommand(new CreateCommandRequest().setRegionId(REGION).setName("cmd")
                .setType("RunShellScript").setCommandContent(base64(content)).setEnableParameter(parameters))
                .getBody().getCommandId();
    }

    private static DescribeCommandsResponseBodyCommandsCommand only(Client ecs, String commandId) throws Exception {
        List<DescribeCommandsResponseBodyCommandsCommand> rows = list(ecs, new DescribeCommandsRequest()
                .setRegionId(REGION).setCommandId(commandId)).getCommands().getCommand();
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static DescribeCommandsResponseBody list(Client ecs, DescribeCommandsRequest request) throws Exception {
        return ecs.describeCommands(request).getBody();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertError(Call call, int status, String code, String... inMessage) {
        TeaException e = catchThrowableOfType(TeaException.class, call::run);
        assertThat(e).as("refused with " + code).isNotNull();
        assertThat(e.getCode()).isEqualTo(code);
        assertThat(e.getStatusCode()).isEqualTo(status);
        for (String part : inMessage) {
            assertThat(e.getMessage()).contains(part);
        }
    }

    private List<RunCommand> awaitRuns(String invokeId, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return runs(invokeId).size() >= count;
        });
        return runs(invokeId);
    }

    private List<RunCommand> runs(String invokeId) {
        return commands.stream().filter(RunCommand.class::isInstance).map(RunCommand.class::cast)
                .filter(r -> r.invokeId().value().equals(invokeId)).toList();
    }

    private InvocationCreated created(String invokeId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return events.stream()
                    .anyMatch(e -> e instanceof InvocationCreated && e.invokeId().value().equals(invokeId));
        });
        return events.stream().filter(InvocationCreated.class::isInstance).map(InvocationCreated.class::cast)
                .filter(e -> e.invokeId().value().equals(invokeId)).findFirst().orElseThrow();
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (r.topic().equals(Topics.INSTANCE_COMMANDS.name())) {
                commands.add(StopPlaneJson.mapper().readerFor(InstanceCommand.class).readValue(r.value()));
            } else {
                events.add(StopPlaneJson.mapper().readerFor(InvocationEvent.class).readValue(r.value()));
            }
        });
    }
}
