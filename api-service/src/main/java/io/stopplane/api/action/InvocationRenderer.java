package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InvocationStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Renders invocation state in the shapes of DescribeInvocations and DescribeInvocationResults, field for field as the
 * official SDKs' models read them. Times are ISO-8601 UTC to the second. Fields of features this build does not have
 * (containers, launchers, tags) are present and empty.
 */
final class InvocationRenderer {

    private InvocationRenderer() {
    }

    /** {@code ContentEncoding}: Base64 (the default) or PlainText, for CommandContent and Output. */
    static boolean base64(RpcRequest request) {
        String encoding = request.optional("ContentEncoding").orElse("Base64");
        if (!encoding.equalsIgnoreCase("Base64") && !encoding.equalsIgnoreCase("PlainText")) {
            throw RpcRequest.invalid("ContentEncoding", "It must be PlainText or Base64.");
        }
        return encoding.equalsIgnoreCase("Base64");
    }

    /** Where a target's output comes from; null: leave Output empty. */
    interface OutputSource extends BiFunction<InvocationState, InstanceState, String> {
    }

    static Map<String, Object> invocation(InvocationState s, OutputSource output, boolean base64) {
        CommandSpec c = s.command();
        InvocationStatus status = s.invocationStatus();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InvokeId", s.invokeId().value());
        m.put("CommandId", c == null ? null : c.commandId().value());
        m.put("CommandName", c == null ? null : c.name());
        m.put("CommandDescription", c == null ? null : c.description());
        m.put("CommandType", c == null ? null : c.type());
        m.put("CommandContent", c == null ? null : encode(c.content(), base64));
        m.put("Timeout", c == null ? null : c.timeoutSeconds());
        m.put("Username", c == null ? null : c.username());
        m.put("WorkingDir", c == null ? null : c.workingDir());
        m.put("TerminationMode", c == null ? null : c.terminationMode());
        m.put("RepeatMode", s.repeatMode().wireName());
        m.put("Frequency", s.schedule() == null ? "" : s.schedule().frequency());
        m.put("Timed", timed(s));
        m.put("Parameters", parameters(s));
        m.put("Launcher", "");
        m.put("ContainerId", "");
        m.put("ContainerName", "");
        m.put("CreationTime", time(s.creationTime()));
        m.put("InvocationStatus", status.wireName());
        m.put("InvokeStatus", status.legacyInvokeStatus());
        m.put("Tags", Map.of("Tag", List.of()));
        List<Map<String, Object>> instances = s.instances().stream()
                .map(i -> instance(s, i, output, base64))
                .toList();
        m.put("InvokeInstances", Map.of("InvokeInstance", instances));
        return m;
    }

    static Map<String, Object> instance(InvocationState s, InstanceState i, OutputSource output, boolean base64) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", i.instanceId().value());
        m.put("InvocationStatus", i.status().wireName());
        m.put("InstanceInvokeStatus", i.status().invokeRecordStatus());
        outcome(m, i, output == null ? "" : output.apply(s, i), base64);
        m.put("Repeats", repeats(i));
        m.put("Timed", s.schedule() != null && !i.status().isTerminal());
        m.put("CreationTime", time(i.creationTime()));
        m.put("StartTime", time(i.startTime()));
        m.put("FinishTime", time(i.finishTime()));
        m.put("StopTime", time(i.stopTime()));
        m.put("UpdateTime", time(i.updateTime()));
        return m;
    }

    /** One row of DescribeInvocationResults: one instance of one invocation, always with its output. */
    static Map<String, Object> result(InvocationState s, InstanceState i, OutputSource output, boolean base64) {
        CommandSpec c = s.command();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InvokeId", s.invokeId().value());
        m.put("CommandId", c == null ? null : c.commandId().value());
        m.put("InstanceId", i.instanceId().value());
        m.put("InvocationStatus", i.status().wireName());
        m.put("InvokeRecordStatus", i.status().invokeRecordStatus());
        outcome(m, i, output.apply(s, i), base64);
        m.put("Repeats", repeats(i));
        m.put("Username", c == null ? null : c.username());
        m.put("TerminationMode", c == null ? null : c.terminationMode());
        m.put("Launcher", "");
        m.put("ContainerId", "");
        m.put("ContainerName", "");
        m.put("StartTime", time(i.startTime()));
        m.put("FinishedTime", time(i.finishTime()));
        m.put("StopTime", time(i.stopTime()));
        m.put("Tags", Map.of("Tag", List.of()));
        return m;
    }

    private static void outcome(Map<String, Object> m, InstanceState i, String output, boolean base64) {
        m.put("ExitCode", i.exitCode());
        m.put("ErrorCode", i.errorCode() == null ? "" : i.errorCode());
        m.put("ErrorInfo", i.errorInfo() == null ? "" : i.errorInfo());
        m.put("Output", encode(output, base64));
        m.put("Dropped", i.dropped());
    }

    /** A run-once target ran once when it started; a scheduled one counts its runs. */
    static int repeats(InstanceState i) {
        return i.run() == null && i.repeats() == 0 ? (i.startTime() == null ? 0 : 1) : i.repeats();
    }

    /** Alibaba: a scheduled task is Timed until it is "canceled, stopped, or completed". */
    private static boolean timed(InvocationState s) {
        return s.schedule() != null && !s.invocationStatus().isFinal();
    }

    /** The values of the command's custom parameters, as the JSON object RunCommand took them in. */
    private static String parameters(InvocationState s) {
        return s.parameters() == null ? "{}" : StopPlaneJson.mapper().writeValueAsString(new TreeMap<>(s.parameters()));
    }

    static String encode(String text, boolean base64) {
        return base64 ? Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : text;
    }

    static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
