package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit CLI (its jar, as {@code bin/stopplane audit} runs it) on what the real services wrote: the timeline of a run
 * stopped in two steps shows each event with the RequestId the API answered, and {@code audit verify} finds the real
 * dispatcher's {@code invocation-state} equal to the fold of the log (of every invocation on the {@link SharedStack}'s
 * broker, whichever classes ran before).
 */
@ExtendWith(SharedStack.Signed.class)
class AuditE2EIT {

    /** The audit CLI's output files. */
    @TempDir
    static Path state;

    private static SharedStack stack;
    private static RpcClient api;
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void onTheSharedStack(SharedStack shared) {
        stack = shared;
        api = shared.operator();
    }

    @Test
    void theTimelineShowsTheRunAndBothStopsWithTheirRequestIdsAndVerifyAgreesWithTheDispatcher() throws Exception {
        String first = stack.agentInstances().get(0);
        String second = stack.agentInstances().get(1);
        // RunCommand targets only instances whose agent has been heard from: retried until it has
        AtomicReference<String> run = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> r = api.call("RunCommand", "Type", "RunShellScript", "CommandContent",
                    "sleep 3000.4242", "InstanceId.1", first, "InstanceId.2", second, "Timeout", "600");
            run.set(r.body());
            return r.statusCode() == 200;
        });
        String invokeId = json.readTree(run.get()).get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Running"));
        String firstStop = api.ok("StopInvocation", "InvokeId", invokeId, "InstanceId.1", first)
                .get("RequestId").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.instance(invokeId, first).get("InvocationStatus").asString())
                        .isEqualTo("Terminated"));
        String secondStop = api.ok("StopInvocation", "InvokeId", invokeId).get("RequestId").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));

        Result timeline = audit("timeline", "--invoke-id", invokeId, "--format", "json");
        assertThat(timeline.exit()).as(timeline.err()).isZero();
        List<JsonNode> lines = timeline.out().lines().map(json::readTree).toList();
        assertThat(lines).extracting(l -> l.get("type").asString() + " " + String.join(",", ids(l)) + " "
                        + l.get("event").path("status").asString(""))
                .containsExactlyInAnyOrder(
                        "InvocationCreated " + first + "," + second + " ",
                        "InstanceStatusReported " + first + " Running",
                        "InstanceStatusReported " + second + " Running",
                        "StopRequested " + first + " ",
                        "InstanceStatusReported " + first + " Terminated",
                        "StopRequested " + second + " ",
                        "InstanceStatusReported " + second + " Terminated");
        assertThat(lines.get(0).get("type").asString()).isEqualTo("InvocationCreated");
        List<JsonNode> stops = lines.stream().filter(l -> l.get("type").asString().equals("StopRequested")).toList();
        assertThat(stops).extracting(l -> l.get("caller").get("requestId").asString())
                .containsExactly(firstStop, secondStop);
        assertThat(stops).extracting(l -> l.get("caller").get("sourceIp").asString())
                .containsOnly("127.0.0.1");
        assertThat(lines.get(lines.size() - 1).get("statusTo").asString()).isEqualTo("Stopped");

        // the real dispatcher's state against the fold of the log (it commits within moments)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Result verify = audit("verify");
            assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out()).contains("compared: OK");
        });
        Result dlt = audit("dlt");
        assertThat(dlt.exit()).as(dlt.err()).isZero();
    }

    private static List<String> ids(JsonNode line) {
        List<String> out = new ArrayList<>();
        line.get("instanceIds").forEach(i -> out.add(i.asString()));
        return out;
    }

    record Result(int exit, String out, String err) {
    }

    /** {@code bin/stopplane audit ...}: the audit jar in its own JVM, on the shared stack's broker. */
    private static Result audit(String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("audit/target/audit-" + System.getProperty("stopplane.version", "0.1.0-SNAPSHOT")
                + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": run the build (mvn -B verify) first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseParallelGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(state, "audit", ".out");
        Path err = Files.createTempFile(state, "audit", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("STOPPLANE_KAFKA_BOOTSTRAP", stack.bootstrap());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("audit " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
