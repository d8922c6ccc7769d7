package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The verdict can fail: a command started twice, a cancelled one that ran, a stop that did not land, a lost run. */
class VerdictTest {

    @TempDir
    Path dir;

    private static Tracked tracked(String token, Tracked.Kind kind, boolean stopAccepted, String... instances) {
        Tracked t = new Tracked(token, kind, List.of(instances), false, "000000" + token.hashCode());
        t.invokeId = "t-" + token;
        t.runAccepted = true;
        t.stopAccepted = stopAccepted;
        return t;
    }

    private static List<JsonNode> row(String token, String status, String... instanceStatuses) {
        StringBuilder instances = new StringBuilder();
        for (int i = 0; i < instanceStatuses.length; i++) {
            instances.append(i == 0 ? "" : ",").append("{\"InstanceId\":\"i-").append(i + 1)
                    .append("\",\"InvocationStatus\":\"").append(instanceStatuses[i]).append("\"}");
        }
        return List.of(Rpc.JSON.readTree("{\"InvokeId\":\"t-" + token + "\",\"CommandDescription\":\"" + token
                + "\",\"InvocationStatus\":\"" + status + "\",\"InvokeInstances\":{\"InvokeInstance\":[" + instances
                + "]}}"));
    }

    @Test
    void aCleanRunHasNothingToSay() throws Exception {
        Path ran = Files.writeString(dir.resolve("ran.txt"), "a t-a i-1\nb t-b i-1\n");
        List<String> problems = new ArrayList<>();
        ChaosRun.Verdict v = ChaosRun.judge(
                List.of(tracked("a", Tracked.Kind.SHORT, false, "i-1"), tracked("b", Tracked.Kind.LONG, true, "i-1", "i-2")),
                Map.of("a", row("a", "Success", "Success"), "b", row("b", "Stopped", "Terminated", "Cancelled")),
                ran, "no-such-marker", CutOffs.none(), problems);
        assertThat(problems).isEmpty();
        assertThat(v.invocations).isEqualTo(2);
        assertThat(v.stopsAccepted).isEqualTo(1);
        assertThat(v.stopsLanded).isEqualTo(1);
        assertThat(v.wrong + v.ranTwice + v.alive).isZero();
    }

    @Test
    void everyBrokenPromiseIsCounted() throws Exception {
        // a started twice on i-1; c cancelled on i-1 yet started; d stopped but still Stopping; e accepted and lost
        Path ran = Files.writeString(dir.resolve("ran.txt"), "a t-a i-1\na t-a i-1\nc t-c i-1\n");
        List<String> problems = new ArrayList<>();
        ChaosRun.Verdict v = ChaosRun.judge(
                List.of(tracked("a", Tracked.Kind.SHORT, false, "i-1"), tracked("c", Tracked.Kind.LONG, true, "i-1"),
                        tracked("d", Tracked.Kind.LONG, true, "i-1"), tracked("e", Tracked.Kind.SHORT, false, "i-1")),
                Map.of("a", row("a", "Success", "Success"), "c", row("c", "Stopped", "Cancelled"),
                        "d", row("d", "Stopping", "Stopping")),
                ran, "no-such-marker", CutOffs.none(), problems);
        assertThat(v.ranTwice).isEqualTo(1);
        assertThat(v.stopsAccepted).isEqualTo(2);
        assertThat(v.stopsLanded).isZero();
        assertThat(v.wrong).isEqualTo(3); // c, d, e
        assertThat(problems).anyMatch(p -> p.contains("started 2 times: a i-1"))
                .anyMatch(p -> p.contains("started although Cancelled"))
                .anyMatch(p -> p.contains("e t-e: accepted, then not found"));
    }

    @Test
    void aRunAbortedUndeliveredIsExcusedOnlyIfItsDeadlinePassedWhileTheAgentWasCutOff() throws Exception {
        // s1 and s2 were created 10 s before the gateway died for 70 s: their deadline (created + 60 s) fell inside;
        // s3 was created after the agent was back; s4 ran on i-1 although its target reports Aborted
        Instant killed = Instant.parse("2026-12-07T13:40:00Z");
        CutOffs cutOffs = CutOffs.none();
        cutOffs.add(killed, killed.plusSeconds(70));
        Path ran = Files.writeString(dir.resolve("ran.txt"), "s1 t-s1 i-1\ns4 t-s4 i-1\n");
        List<String> problems = new ArrayList<>();
        String before = killed.minusSeconds(10).toString();
        ChaosRun.Verdict v = ChaosRun.judge(
                List.of(tracked("s1", Tracked.Kind.SHORT, false, "i-1", "i-2"),
                        tracked("s2", Tracked.Kind.SHORT, false, "i-2"),
                        tracked("s3", Tracked.Kind.SHORT, false, "i-2"),
                        tracked("s4", Tracked.Kind.SHORT, false, "i-1")),
                Map.of("s1", aborted("s1", "PartialFailed", before, true),
                        "s2", aborted("s2", "Failed", before, false),
                        "s3", aborted("s3", "Failed", killed.plusSeconds(80).toString(), false),
                        "s4", aborted("s4", "Failed", before, false)),
                ran, "no-such-marker", cutOffs, problems);
        assertThat(v.abortedWhileCutOff).isEqualTo(2); // s1's i-2, s2's i-2
        assertThat(v.wrong).isEqualTo(2); // s3: its deadline came after the agent was back; s4: it started
        assertThat(problems).anyMatch(p -> p.startsWith("s3 ")).anyMatch(p -> p.startsWith("s4 "))
                .noneMatch(p -> p.startsWith("s1 ") || p.startsWith("s2 "));
    }

    /** An invocation whose last target is Aborted/DeliveryTimeout, the first (if two) Success. */
    private static List<JsonNode> aborted(String token, String status, String created, boolean firstSucceeded) {
        String abortedTarget = "{\"InstanceId\":\"i-" + (firstSucceeded ? 2 : token.equals("s4") ? 1 : 2)
                + "\",\"InvocationStatus\":\"Aborted\",\"ErrorCode\":\"DeliveryTimeout\"}";
        String targets = firstSucceeded
                ? "{\"InstanceId\":\"i-1\",\"InvocationStatus\":\"Success\"}," + abortedTarget : abortedTarget;
        return List.of(Rpc.JSON.readTree("{\"InvokeId\":\"t-" + token + "\",\"CommandDescription\":\"" + token
                + "\",\"InvocationStatus\":\"" + status + "\",\"CreationTime\":\"" + created
                + "\",\"InvokeInstances\":{\"InvokeInstance\":[" + targets + "]}}"));
    }
}
