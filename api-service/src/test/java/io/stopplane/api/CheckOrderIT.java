package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.DispatchSwitch;
import io.stopplane.api.support.RpcHttp.Transport;
import io.stopplane.api.support.TestAuthorizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every check of StopInvocation and RunCommand, in the contract's order, over GET, POST with a form and POST with the
 * query: each failing case also breaks every later check, so it proves which check comes first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckOrderIT extends ApiITSupport {

    private static final String FORBIDDEN = TestAuthorizer.FORBIDDEN_KEY;
    private final Map<String, String> ids = new LinkedHashMap<>();

    /** One request and what it must get: an error (status, code, a part of the message) or, with code null, a 200. */
    record Case(String name, Map<String, String> params, int status, String code, String messagePart,
            boolean brokenDispatch) {

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void invocations() {
        awaitReady();
        register("i-ord0001", "i-ord0002");
        registerIn("cn-shanghai", null, "i-ordsh01");
        registerIn(REGION, "b", "i-ordb001");
        ids.put("$INVOKE", run("i-ord0001", "i-ord0002"));
        ids.put("$SH_INVOKE", http.ok(Transport.GET, Map.of("Action", "RunCommand", "RegionId", "cn-shanghai",
                "Type", "RunShellScript", "CommandContent", "true", "InstanceId.1", "i-ordsh01"))
                .get("InvokeId").asString());
        ids.put("$B_INVOKE", http.ok(Transport.GET, Map.of("Action", "RunCommand", "RegionId", REGION,
                "Type", "RunShellScript", "CommandContent", "true", "InstanceId.1", "i-ordb001", "AccessKeyId",
                "acct-b")).get("InvokeId").asString());
    }

    @ParameterizedTest(name = "StopInvocation {1} {0}")
    @MethodSource("stopCases")
    void stopInvocation(Case c, Transport transport) {
        check(c, transport);
    }

    @ParameterizedTest(name = "RunCommand {1} {0}")
    @MethodSource("runCases")
    void runCommand(Case c, Transport transport) {
        check(c, transport);
    }

    private void check(Case c, Transport transport) {
        Map<String, String> params = new LinkedHashMap<>();
        c.params().forEach((k, v) -> params.put(k, ids.getOrDefault(v, v)));
        DispatchSwitch.broken.set(c.brokenDispatch());
        try {
            if (c.code() == null) {
                http.ok(transport, params);
            } else {
                JsonNode error = http.error(transport, params, c.status(), c.code());
                assertThat(error.get("Message").asString()).contains(c.messagePart());
            }
        } finally {
            DispatchSwitch.broken.set(false);
        }
    }

    Stream<Arguments> stopCases() {
        Map<String, String> later = merge(many("i-x", 51), Map.of("AccessKeyId", FORBIDDEN, "InvokeId", "t-unknown1"));
        List<Case> cases = List.of(
                fail("RegionId missing", stop(later, "RegionId", null), 400, "MissingParameter", "RegionId"),
                fail("RegionId empty", stop(later, "RegionId", ""), 400, "MissingParameter", "RegionId"),
                fail("RegionId unicode", stop(later, "RegionId", "cn-杭州"), 400, "InvalidParameter", "RegionId"),
                fail("RegionId *", stop(later, "RegionId", "*"), 400, "InvalidParameter", "RegionId"),
                fail("InvokeId missing", stop(later, "RegionId", "mars-north-1", "InvokeId", null), 400,
                        "MissingParameter", "InvokeId"),
                fail("InvokeId empty", stop(later, "RegionId", "mars-north-1", "InvokeId", ""), 400,
                        "MissingParameter", "InvokeId"),
                fail("InvokeId *", stop(later, "RegionId", "mars-north-1", "InvokeId", "t-*"), 400,
                        "InvalidParameter", "InvokeId"),
                fail("InvokeId unicode", stop(later, "RegionId", "mars-north-1", "InvokeId", "t-テスト"), 400,
                        "InvalidParameter", "InvokeId"),
                fail("InstanceId.N *", stop(later, "RegionId", "mars-north-1", "InstanceId.1", "i-*"), 400,
                        "InvalidParameter", "InstanceId"),
                fail("InstanceId.N unicode", stop(later, "RegionId", "mars-north-1", "InstanceId.1", "i-ü"), 400,
                        "InvalidParameter", "InstanceId"),
                fail("InstanceId.N empty", stop(later, "RegionId", "mars-north-1", "InstanceId.2", ""), 400,
                        "InvalidParameter", "InstanceId.2"),
                fail("InstanceId.0", stop(later, "RegionId", "mars-north-1", "InstanceId.0", "i-x0"), 400,
                        "InvalidParameter", "InstanceId.0"),
                fail("unknown region", stop(later, "RegionId", "mars-north-1"), 404, "InvalidRegionId.NotFound",
                        "RegionId"),
                fail("region without Cloud Assistant", stop(later, "RegionId", "cn-nocloud"), 400,
                        "RegionId.ApiNotSupported", "not supported"),
                fail("51 instances", stop(later, "RegionId", REGION), 403, "InstanceIds.ExceedLimit", "upper limit"),
                fail("51 InstanceId.N, 50 distinct", stop(later, "RegionId", REGION, "InstanceId.51", "i-x1"), 403,
                        "Operation.Forbidden", "not permitted"),
                fail("caller not permitted", stop(Map.of("RegionId", REGION, "InvokeId", "t-unknown1",
                        "AccessKeyId", FORBIDDEN, "InstanceId.1", "i-x1")), 403, "Operation.Forbidden", "permitted"),
                fail("unknown invocation", stop(Map.of("RegionId", REGION, "InvokeId", "t-unknown1",
                        "InstanceId.1", "i-x1")), 404, "InvalidInvokeId.NotFound", "invoke ID"),
                fail("invocation of another region", stop(Map.of("RegionId", REGION, "InvokeId", "$SH_INVOKE")),
                        404, "InvalidInvokeId.NotFound", "invoke ID"),
                fail("invocation of another account", stop(Map.of("RegionId", REGION, "InvokeId", "$B_INVOKE")),
                        404, "InvalidInvokeId.NotFound", "invoke ID"),
                fail("instance not a target", stop(Map.of("RegionId", REGION, "InvokeId", "$INVOKE",
                        "InstanceId.1", "i-ord0001", "InstanceId.2", "i-x1")), 404, "InvalidInstanceId.NotFound",
                        "InstanceId"),
                fail("gap to an instance not a target", stop(Map.of("RegionId", REGION, "InvokeId", "$INVOKE",
                        "InstanceId.1", "i-ord0001", "InstanceId.3", "i-x1")), 404, "InvalidInstanceId.NotFound",
                        "InstanceId"),
                fail("dispatch fails", stop(Map.of("RegionId", REGION, "InvokeId", "$INVOKE")), 500,
                        "InternalError.Dispatch", "dispatched", true),
                ok("gaps: InstanceId.1 and InstanceId.3", stop(Map.of("RegionId", REGION, "InvokeId", "$INVOKE",
                        "InstanceId.1", "i-ord0001", "InstanceId.3", "i-ord0002"))),
                ok("duplicated InstanceId.N", stop(Map.of("RegionId", REGION, "InvokeId", "$INVOKE",
                        "InstanceId.1", "i-ord0002", "InstanceId.2", "i-ord0002"))),
                ok("all targets, stopped again", stop(Map.of("RegionId", REGION, "InvokeId", "$INVOKE"))));
        return withTransports(cases);
    }

    Stream<Arguments> runCases() {
        Map<String, String> base = Map.of("RegionId", REGION, "Type", "RunShellScript", "CommandContent", "echo hi",
                "InstanceId.1", "i-ord0001");
        Map<String, String> later = merge(many("i-y", 101), Map.of("AccessKeyId", FORBIDDEN));
        String over = "x".repeat(18 * 1024 + 1); // 24 KB + 4 once Base64-encoded
        List<Case> cases = List.of(
                fail("RegionId missing", run(base, later, "RegionId", null, "Type", "RunJava"), 400,
                        "MissingParameter", "RegionId"),
                fail("RegionId *", run(base, later, "RegionId", "*"), 400, "InvalidParameter", "RegionId"),
                fail("Type missing", run(base, later, "RegionId", "mars-north-1", "Type", null), 400,
                        "MissingParameter", "Type"),
                fail("Type unknown", run(base, later, "RegionId", "mars-north-1", "Type", "RunJava"), 400,
                        "InvalidParameter", "Type"),
                fail("CommandContent missing", run(base, later, "RegionId", "mars-north-1", "CommandContent", ""),
                        400, "MissingParameter", "CommandContent"),
                fail("ContentEncoding unknown", run(base, later, "RegionId", "mars-north-1", "ContentEncoding", "Hex"),
                        400, "InvalidParameter", "ContentEncoding"),
                fail("CommandContent not Base64", run(base, later, "RegionId", "mars-north-1", "CommandContent",
                        "***", "ContentEncoding", "Base64"), 400, "InvalidCommandContent.Malformed", "Base64"),
                fail("CommandContent over 24 KB", run(base, later, "RegionId", "mars-north-1", "CommandContent",
                        over), 400, "InvalidCmdContent.ExceedLimit", "upper limit"),
                fail("CommandContent Base64 of non-UTF-8 bytes", run(base, later, "RegionId", "mars-north-1",
                        "CommandContent", "/+/+", "ContentEncoding", "Base64"), 400, "InvalidParameter",
                        "CommandContent"),
                fail("CommandContent over 24 KB of Base64", run(base, later, "RegionId", "mars-north-1",
                        "CommandContent", base64(over), "ContentEncoding", "Base64"), 400,
                        "InvalidCmdContent.ExceedLimit", "upper limit"),
                fail("InstanceId.N missing", run(base, Map.of(), "RegionId", "mars-north-1", "InstanceId.1", null),
                        400, "MissingParameter", "InstanceId.1"),
                fail("InstanceId.N *", run(base, later, "RegionId", "mars-north-1", "InstanceId.1", "i-*"), 400,
                        "InvalidParameter", "InstanceId"),
                fail("InstanceId.N empty", run(base, later, "RegionId", "mars-north-1", "InstanceId.2", ""), 400,
                        "InvalidParameter", "InstanceId.2"),
                fail("Timeout not a number", run(base, later, "RegionId", "mars-north-1", "Timeout", "abc"), 400,
                        "InvalidParameter", "Timeout"),
                fail("Timeout 0", run(base, later, "RegionId", "mars-north-1", "Timeout", "0"), 400,
                        "InvalidParameter", "Timeout"),
                fail("TerminationMode unknown", run(base, later, "RegionId", "mars-north-1", "TerminationMode",
                        "Kill"), 400, "InvalidParameter", "TerminationMode"),
                fail("RepeatMode Period without Frequency", run(base, later, "RegionId", "mars-north-1",
                        "RepeatMode", "Period"), 400, "MissingParameter", "Frequency"),
                fail("RepeatMode unknown", run(base, later, "RegionId", "mars-north-1", "RepeatMode", "Hourly"), 400,
                        "InvalidParameter", "RepeatMode"),
                fail("Frequency malformed", run(base, later, "RegionId", "mars-north-1", "Frequency", "rate(5x)"),
                        400, "InvalidParameter", "Frequency"),
                fail("Frequency under the minimum", run(base, later, "RegionId", "mars-north-1", "Frequency",
                        "rate(10s)"), 400, "InvalidParameter", "60 seconds"),
                fail("Parameters without EnableParameter", run(base, later, "RegionId", "mars-north-1",
                        "Parameters", "{\"x\":\"1\"}"), 400, "InvalidParameter", "EnableParameter"),
                fail("Parameters not a JSON object", run(base, later, "RegionId", "mars-north-1",
                        "EnableParameter", "true", "Parameters", "[1]"), 400, "InvalidParameter", "Parameters"),
                fail("a parameter without a value", run(base, later, "RegionId", "mars-north-1",
                        "EnableParameter", "true", "CommandContent", "echo {{x}}"), 400, "InvalidParameter",
                        "No value for the parameter x"),
                fail("a value for no parameter", run(base, later, "RegionId", "mars-north-1",
                        "EnableParameter", "true", "Parameters", "{\"y\":\"1\"}"), 400, "InvalidParameter",
                        "no parameter y"),
                fail("an unknown built-in", run(base, later, "RegionId", "mars-north-1",
                        "EnableParameter", "true", "CommandContent", "echo {{ACS::Nope}}"), 400, "InvalidParameter",
                        "ACS::Nope"),
                fail("KeepCommand not a boolean", run(base, later, "RegionId", "mars-north-1",
                        "KeepCommand", "maybe"), 400, "InvalidParameter", "KeepCommand"),
                fail("ContainerId", run(base, later, "RegionId", "mars-north-1", "ContainerId", "abc"), 400,
                        "InvalidParameter", "ContainerId"),
                fail("ClientToken too long", run(base, later, "RegionId", "mars-north-1", "ClientToken",
                        "t".repeat(65)), 400, "InvalidParameter", "ClientToken"),
                fail("ClientToken unicode", run(base, later, "RegionId", "mars-north-1", "ClientToken", "tök"), 400,
                        "InvalidParameter", "ClientToken"),
                fail("unknown region", run(base, later, "RegionId", "mars-north-1"), 404,
                        "InvalidRegionId.NotFound", "RegionId"),
                fail("region without Cloud Assistant", run(base, later, "RegionId", "cn-nocloud"), 400,
                        "RegionId.ApiNotSupported", "not supported"),
                fail("101 instances", run(base, later), 403, "InstanceIds.ExceedLimit", "upper limit"),
                fail("caller not permitted", run(base, Map.of("AccessKeyId", FORBIDDEN, "InstanceId.2", "i-y1")), 403,
                        "Operation.Forbidden", "permitted"),
                fail("unregistered instance", run(base, Map.of("InstanceId.2", "i-y1")), 404,
                        "InvalidInstance.NotFound", "instance"),
                fail("instance registered in another region", run(base, Map.of("InstanceId.2", "i-ordsh01")), 404,
                        "InvalidInstance.NotFound", "instance"),
                fail("instance of another account", run(base, Map.of("InstanceId.2", "i-ordb001")), 404,
                        "InvalidInstance.NotFound", "instance"),
                fail("dispatch fails", run(base, Map.of()), 500, "InternalError.Dispatch", "dispatched", true),
                ok("Windows type (the agent marks it Invalid)", run(base, Map.of("Type", "RunBatScript"))),
                ok("unicode and * in values", run(base, Map.of("Name", "名前 * ü", "Description", "説明 *",
                        "CommandContent", "echo '日本語 * ✓'", "WorkingDir", "/tmp/*"))),
                // '~~~' encodes as "fn5+": a quarter of the URL-encoded query is %2B, some 36 KB of query in all
                ok("24 KB of Base64", run(base, Map.of("ContentEncoding", "Base64",
                        "CommandContent", base64("~".repeat(18 * 1024))))),
                ok("gaps: InstanceId.1 and InstanceId.3", run(base, Map.of("InstanceId.3", "i-ord0002"))),
                ok("duplicated InstanceId.N", run(base, Map.of("InstanceId.2", "i-ord0001"))),
                ok("accepted, not honoured", run(base, Map.of("KeepCommand", "true", "ResourceGroupId", "rg-1",
                        "Tag.1.Key", "k", "Tag.1.Value", "v", "OwnerId", "123", "WindowsPasswordName", "axtSecret",
                        "RepeatMode", "Once", "Timeout", "86400", "TerminationMode", "Process"))));
        return withTransports(cases);
    }

    private static Stream<Arguments> withTransports(List<Case> cases) {
        return cases.stream().flatMap(c -> Arrays.stream(Transport.values()).map(t -> Arguments.of(c, t)));
    }

    private static Case fail(String name, Map<String, String> params, int status, String code, String part) {
        return new Case(name, params, status, code, part, false);
    }

    private static Case fail(String name, Map<String, String> params, int status, String code, String part,
            boolean brokenDispatch) {
        return new Case(name, params, status, code, part, brokenDispatch);
    }

    private static Case ok(String name, Map<String, String> params) {
        return new Case(name, params, 200, null, null, false);
    }

    private static Map<String, String> stop(Map<String, String> params, String... overrides) {
        return with(merge(Map.of("Action", "StopInvocation"), params), overrides);
    }

    private static Map<String, String> run(Map<String, String> base, Map<String, String> extra, String... overrides) {
        return with(merge(merge(Map.of("Action", "RunCommand"), base), extra), overrides);
    }

    /** Sets (or, with null, removes) name/value pairs. */
    private static Map<String, String> with(Map<String, String> params, String... overrides) {
        Map<String, String> m = new LinkedHashMap<>(params);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                m.remove(overrides[i]);
            } else {
                m.put(overrides[i], overrides[i + 1]);
            }
        }
        return m;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Map<String, String> many(String prefix, int n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            m.put("InstanceId." + i, prefix + i);
        }
        return m;
    }
}
