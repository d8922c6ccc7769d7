package io.stopplane.api.action;

import io.stopplane.model.command.CommandSpec;
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

/** Renders invocation state in DescribeInvocations' shape. Times are ISO-8601 UTC to the second. */
final class InvocationRenderer {

    private InvocationRenderer() {
    }

    static Map<String, Object> invocation(InvocationState s, boolean includeOutput, boolean base64) {
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
        m.put("RepeatMode", "Once");
        m.put("Frequency", "");
        m.put("Timed", false);
        m.put("CreationTime", time(s.creationTime()));
        m.put("InvocationStatus", status.wireName());
        m.put("InvokeStatus", status.legacyInvokeStatus());
        List<Map<String, Object>> instances = s.instances().stream()
                .map(i -> instance(i, includeOutput, base64))
                .toList();
        m.put("InvokeInstances", Map.of("InvokeInstance", instances));
        return m;
    }

    static Map<String, Object> instance(InstanceState i, boolean includeOutput, boolean base64) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", i.instanceId().value());
        m.put("InvocationStatus", i.status().wireName());
        m.put("InstanceInvokeStatus", i.status().invokeRecordStatus());
        m.put("ExitCode", i.exitCode());
        m.put("ErrorCode", i.errorCode() == null ? "" : i.errorCode());
        m.put("ErrorInfo", i.errorInfo() == null ? "" : i.errorInfo());
        m.put("Output", includeOutput ? encode(i.output() == null ? "" : i.output(), base64) : "");
        m.put("Dropped", i.dropped());
        m.put("Repeats", i.startTime() == null ? 0 : 1);
        m.put("Timed", false);
        m.put("CreationTime", time(i.creationTime()));
        m.put("StartTime", time(i.startTime()));
        m.put("FinishTime", time(i.finishTime()));
        m.put("StopTime", time(i.stopTime()));
        m.put("UpdateTime", time(i.updateTime()));
        return m;
    }

    private static String encode(String text, boolean base64) {
        return base64 ? Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : text;
    }

    private static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
