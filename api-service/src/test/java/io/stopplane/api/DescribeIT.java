package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.api.support.Agents;
import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.RpcHttp.Transport;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Describe actions: filters, both paging styles, every field, the roll-up; and ClientToken under concurrency. */
class DescribeIT extends ApiITSupport {

    @Test
    void tokenPagingIsNewestFirstAndStableWhenNewInvocationsArrive() {
        register("i-desc0001");
        String name = "page-" + UUID.randomUUID();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(runNamed(name, "i-desc0001"));
        }
        JsonNode all = http.ok(Transport.GET, describe("CommandName", name, "MaxResults", "50"));
        assertThat(invokeIds(all)).containsExactlyInAnyOrderElementsOf(created);
        List<Instant> times = new ArrayList<>();
        all.get("Invocations").get("Invocation")
                .forEach(i -> times.add(Instant.parse(i.get("CreationTime").asString())));
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        Map<String, String> query = describe("CommandName", name, "MaxResults", "2");
        JsonNode first = http.ok(Transport.GET, query);
        assertThat(first.get("TotalCount").asInt()).isEqualTo(5);
        assertThat(first.get("PageSize").asInt()).isEqualTo(2);
        List<String> seen = new ArrayList<>(invokeIds(first));
        String extra = runNamed(name, "i-desc0001"); // arrives between pages: must not shift them
        String token = first.get("NextToken").asString();
        while (!token.isEmpty()) {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("NextToken", token);
            JsonNode page = http.ok(Transport.POST_FORM, next);
            seen.addAll(invokeIds(page));
            token = page.get("NextToken").asString();
        }
        assertThat(seen).containsExactlyElementsOf(invokeIds(all));
        assertThat(invokeIds(http.ok(Transport.GET, describe("CommandName", name, "MaxResults", "1"))))
                .containsExactly(extra);
    }

    @Test
    void pageNumberPagingAndPagingErrors() {
        register("i-desc0002");
        String name = "pages-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            runNamed(name, "i-desc0002");
        }
        JsonNode third = http.ok(Transport.GET, describe("CommandName", name, "PageSize", "2", "PageNumber", "3"));
        assertThat(third.get("PageNumber").asInt()).isEqualTo(3);
        assertThat(third.get("TotalCount").asInt()).isEqualTo(5);
        assertThat(invokeIds(third)).hasSize(1);
        assertThat(invokeIds(http.ok(Transport.GET, describe("CommandName", name, "PageSize", "2",
                "PageNumber", "4")))).isEmpty();
        http.error(Transport.GET, describe("NextToken", "not-a-token"), 400, "InvalidParameter");
        http.error(Transport.GET, describe("MaxResults", "51"), 400, "InvalidParameter");
        http.error(Transport.GET, describe("PageSize", "0"), 400, "InvalidParameter");
        http.error(Transport.GET, describe("IncludeOutput", "yes"), 400, "InvalidParameter");
        http.error(Transport.GET, describe("ContentEncoding", "Hex"), 400, "InvalidParameter");
    }

    @Test
    void filtersOnlyNarrowAndUnknownIdsGiveEmptyLists() {
        register("i-desc0003", "i-desc0004");
        registerIn("cn-shanghai", null, "i-desc0005");
        registerIn(REGION, "b", "i-desc0006");
        String name = "filters-" + UUID.randomUUID();
        String invokeId = runNamed(name, "i-desc0003");
        String shanghai = http.ok(Transport.GET, Map.of("Action", "RunCommand", "RegionId", "cn-shanghai",
                "Type", "RunShellScript", "CommandContent", "true", "Name", name, "InstanceId.1", "i-desc0005"))
                .get("InvokeId").asString();
        String tenantB = http.ok(Transport.GET, Map.of("Action", "RunCommand", "RegionId", REGION, "AccessKeyId",
                "acct-b", "Type", "RunShellScript", "CommandContent", "true", "Name", name, "InstanceId.1",
                "i-desc0006")).get("InvokeId").asString();

        assertThat(invokeIds(http.ok(Transport.GET, describe("CommandName", name)))).containsExactly(invokeId);
        assertThat(invokeIds(http.ok(Transport.GET, describe("RegionId", "cn-shanghai", "CommandName", name))))
                .containsExactly(shanghai);
        assertThat(invokeIds(http.ok(Transport.GET, describe("AccessKeyId", "acct-b", "CommandName", name))))
                .containsExactly(tenantB);
        assertThat(invokeIds(http.ok(Transport.GET, describe("CommandName", name, "InstanceId", "i-desc0003"))))
                .containsExactly(invokeId);
        assertThat(invokeIds(http.ok(Transport.GET, describe("CommandName", name, "CommandType",
                "RunShellScript", "RepeatMode", "Once", "InvokeStatus", "Pending")))).containsExactly(invokeId);
        for (String[] none : new String[][] {{"InvokeId", "t-unknown"}, {"InvokeId", "t-*"}, {"InstanceId", "i-*"},
                {"InstanceId", "i-desc0004"}, {"CommandId", "c-unknown"}, {"CommandType", "RunBatScript"},
                {"InvokeStatus", "Finished"}, {"RepeatMode", "Period"}, {"Timed", "true"}}) {
            JsonNode empty = http.ok(Transport.GET, describe("CommandName", name, none[0], none[1]));
            assertThat(empty.get("TotalCount").asInt()).as(none[0] + "=" + none[1]).isZero();
            assertThat(empty.get("NextToken").asString()).isEmpty();
        }
        http.error(Transport.GET, describe("RegionId", "mars-north-1"), 404, "InvalidRegionId.NotFound");
        http.error(Transport.GET, describe("RegionId", "cn-nocloud"), 400, "RegionId.ApiNotSupported");
    }

    @Test
    void rollUpLegacyStatusesOutputsAndResultFilters() {
        register("i-desc0007", "i-desc0008", "i-desc0009");
        String invokeId = run("i-desc0007", "i-desc0008", "i-desc0009");
        kafka.event(Agents.running(invokeId, "i-desc0007"));
        kafka.event(Agents.succeeded(invokeId, "i-desc0007", "fine ✓\n"));
        kafka.event(Agents.failed(invokeId, "i-desc0008", "broken\n"));
        kafka.event(Agents.succeeded(invokeId, "i-desc0009", ""));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(invocation(invokeId)
                .get("InvocationStatus").asString()).isEqualTo("PartialFailed"));
        JsonNode invocation = http.ok(Transport.GET, describe("InvokeId", invokeId, "IncludeOutput", "true",
                "ContentEncoding", "PlainText")).get("Invocations").get("Invocation").get(0);
        assertThat(invocation.get("InvokeStatus").asString()).isEqualTo("PartialFailed");
        JsonNode first = invocation.get("InvokeInstances").get("InvokeInstance").get(0);
        assertThat(first.get("InvocationStatus").asString()).isEqualTo("Success");
        assertThat(first.get("InstanceInvokeStatus").asString()).isEqualTo("Finished");
        assertThat(first.get("Output").asString()).isEqualTo("fine ✓\n");
        assertThat(first.get("ExitCode").asInt()).isZero();
        for (String field : new String[] {"CreationTime", "StartTime", "FinishTime", "UpdateTime"}) {
            assertThat(first.get(field).asString()).as(field).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
        assertThat(http.ok(Transport.GET, describe("InvokeId", invokeId)).get("Invocations").get("Invocation")
                .get(0).get("InvokeInstances").get("InvokeInstance").get(0).get("Output").asString())
                .as("without IncludeOutput").isEmpty();

        JsonNode failed = results("InvokeId", invokeId, "InvokeRecordStatus", "Failed").get("InvocationResults")
                .get("InvocationResult");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("InstanceId").asString()).isEqualTo("i-desc0008");
        assertThat(failed.get(0).get("ErrorCode").asString()).isEqualTo("ExitCodeNonzero");
        assertThat(failed.get(0).get("ErrorInfo").asString()).isEqualTo("the command execution exit code is not zero");
        assertThat(failed.get(0).get("Output").asString()).isEqualTo("YnJva2VuCg=="); // Base64 by default
        assertThat(failed.get(0).get("FinishedTime").asString()).isNotEmpty();

        JsonNode page = results("InvokeId", invokeId, "MaxResults", "2");
        assertThat(page.get("TotalCount").asInt()).isEqualTo(3);
        JsonNode rest = results("InvokeId", invokeId, "MaxResults", "2", "NextToken", page.get("NextToken").asString());
        assertThat(rest.get("InvocationResults").get("InvocationResult")).hasSize(1);
        assertThat(rest.get("InvocationResults").get("InvocationResult").get(0).get("InstanceId").asString())
                .isEqualTo("i-desc0009");
        assertThat(results("InvokeId", invokeId, "InstanceId", "i-desc0009", "IncludeHistory", "true")
                .get("TotalCount").asInt()).isEqualTo(1);
        assertThat(results("InvokeId", "t-unknown").get("TotalCount").asInt()).isZero();
    }

    @Test
    void valuesComeBackAsTheyWereSent() {
        register("i-desc0010");
        Map<String, String> params = new LinkedHashMap<>(Map.of("Action", "RunCommand", "RegionId", REGION,
                "Type", "RunShellScript", "CommandContent", "echo '日本語 * ✓ & <x>'", "InstanceId.1", "i-desc0010",
                "Name", "名前 * ü", "Description", "説明 & <b>", "WorkingDir", "/tmp/*", "Username", "root"));
        String invokeId = http.ok(Transport.POST_FORM, params).get("InvokeId").asString();
        JsonNode invocation = http.ok(Transport.GET, describe("InvokeId", invokeId, "ContentEncoding", "PlainText"))
                .get("Invocations").get("Invocation").get(0);
        assertThat(invocation.get("CommandContent").asString()).isEqualTo("echo '日本語 * ✓ & <x>'");
        assertThat(invocation.get("CommandName").asString()).isEqualTo("名前 * ü");
        assertThat(invocation.get("CommandDescription").asString()).isEqualTo("説明 & <b>");
        assertThat(invocation.get("WorkingDir").asString()).isEqualTo("/tmp/*");
        HttpResponse<String> xml = http.call(Transport.GET, describe("InvokeId", invokeId, "Format", "XML",
                "ContentEncoding", "PlainText"));
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.body()).startsWith("<?xml").contains("<DescribeInvocationsResponse>")
                .contains("<Invocations><Invocation><InvokeId>" + invokeId)
                .contains("<InvokeInstances><InvokeInstance><InstanceId>i-desc0010</InstanceId>")
                .contains("<CommandName>名前 * ü</CommandName>").contains("説明 &amp; &lt;b&gt;")
                .doesNotContain("<Code>");
    }

    @Test
    void concurrentRetriesWithOneClientTokenCreateOneInvocation() throws Exception {
        register("i-desc0011");
        Map<String, String> params = Map.of("Action", "RunCommand", "RegionId", REGION, "Type", "RunShellScript",
                "CommandContent", "true", "InstanceId.1", "i-desc0011", "ClientToken", UUID.randomUUID().toString());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> http.ok(Transport.POST_QUERY, params).get("InvokeId").asString());
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
            assertThat(ids).hasSize(8).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        Map<String, String> mismatch = new HashMap<>(params);
        mismatch.put("Timeout", "61");
        http.error(Transport.GET, mismatch, 403, "IdempotentParameterMismatch");
    }

    @Test
    void cloudAssistantStatusFromHeartbeats() {
        register("i-desc0012");
        kafka.heartbeat(new AgentHeartbeat(InstanceId.of("i-desc0013"), RegionId.of(REGION), null, "2.4.0",
                "old-host", Instant.now().minus(Duration.ofHours(1))));
        await().until(() -> agents.get(InstanceId.of("i-desc0013")).isPresent());
        String invokeId = run("i-desc0012");
        JsonNode rows = status("InstanceId.1", "i-desc0012", "InstanceId.2", "i-desc0013", "InstanceId.3",
                "i-unknown").get("InstanceCloudAssistantStatusSet").get("InstanceCloudAssistantStatus");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("InstanceId").asString()).isEqualTo("i-desc0012");
        assertThat(rows.get(0).get("CloudAssistantStatus").asString()).isEqualTo("true");
        assertThat(rows.get(0).get("InvocationCount").asInt()).isEqualTo(1);
        assertThat(rows.get(0).get("ActiveTaskCount").asInt()).isEqualTo(1);
        assertThat(rows.get(0).get("LastInvokedTime").asString()).isEqualTo(invocation(invokeId)
                .get("CreationTime").asString());
        assertThat(rows.get(1).get("CloudAssistantStatus").asString()).isEqualTo("false");
        assertThat(rows.get(1).get("CloudAssistantVersion").asString()).isEqualTo("2.4.0");
        assertThat(status("InstanceId.1", "i-desc0012", "OSType", "Windows").get("TotalCount").asInt()).isZero();
        http.error(Transport.GET, Map.of("Action", "DescribeCloudAssistantStatus", "RegionId", REGION, "OSType",
                "MacOS"), 400, "InvalidParameter");
        http.error(Transport.GET, Map.of("Action", "DescribeCloudAssistantStatus", "RegionId", "cn-nocloud"), 400,
                "RegionId.ApiNotSupported");
    }

    @Test
    void regionsFromConfiguration() {
        JsonNode regions = http.ok(Transport.GET, Map.of("Action", "DescribeRegions")).get("Regions").get("Region");
        Map<String, JsonNode> byId = new HashMap<>();
        regions.forEach(r -> byId.put(r.get("RegionId").asString(), r));
        assertThat(byId.get(REGION).get("LocalName").asString()).isEqualTo("华东1（杭州）");
        assertThat(byId.get(REGION).get("CloudAssistantEnabled").asBoolean()).isTrue();
        assertThat(byId.get("cn-nocloud").get("CloudAssistantEnabled").asBoolean()).isFalse();
        assertThat(byId.get("cn-nocloud").get("Status").asString()).isEqualTo("available");
        assertThat(http.call(Transport.GET, Map.of("Action", "DescribeRegions", "Format", "XML")).body())
                .contains("<Regions><Region><RegionId>");
    }

    private String runNamed(String name, String instance) {
        return http.ok(Transport.GET, Map.of("Action", "RunCommand", "RegionId", REGION, "Type", "RunShellScript",
                "CommandContent", "true", "Name", name, "InstanceId.1", instance)).get("InvokeId").asString();
    }

    private JsonNode invocation(String invokeId) {
        return http.ok(Transport.GET, describe("InvokeId", invokeId)).get("Invocations").get("Invocation").get(0);
    }

    private JsonNode results(String... kv) {
        return http.ok(Transport.GET, with("DescribeInvocationResults", kv)).get("Invocation");
    }

    private JsonNode status(String... kv) {
        return http.ok(Transport.GET, with("DescribeCloudAssistantStatus", kv));
    }

    private static Map<String, String> describe(String... kv) {
        return with("DescribeInvocations", kv);
    }

    private static Map<String, String> with(String action, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Action", action);
        m.put("RegionId", REGION);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> invokeIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("Invocations").get("Invocation").forEach(i -> ids.add(i.get("InvokeId").asString()));
        return ids;
    }
}
