package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.eventlog.InvocationEventLog;
import io.stopplane.api.output.OutputStore;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Describe* read from the view's indexes page exactly as the scan and sort they replace did: the same rows in the same
 * order, the same TotalCount, and NextToken and PageNumber walking every row once, under every filter and their
 * combinations, with statuses that changed after creation. The oracle below is that scan; the view's own scan fails
 * the test if an action uses it.
 */
class DescribePagingTest {

    private static final RegionId REGION = RegionId.of("cn-hangzhou");
    private static final List<InstanceStatus> STATUSES = List.of(InstanceStatus.PENDING, InstanceStatus.RUNNING,
            InstanceStatus.STOPPING, InstanceStatus.SUCCESS, InstanceStatus.FAILED, InstanceStatus.TIMEOUT,
            InstanceStatus.TERMINATED);

    private final InvocationView view = spy(new InvocationView());
    private final List<InvocationState> states = new ArrayList<>();
    private Caller caller = new Caller("1001", "AK", "127.0.0.1", "R");
    private DescribeInvocationsAction invocations;
    private DescribeInvocationResultsAction results;

    @BeforeEach
    void setUp() {
        Random random = new Random(17);
        for (int n = 0; n < 600; n++) {
            String account = List.of("1001", "1002", "1003").get(random.nextInt(3));
            RegionId region = random.nextInt(10) == 0 ? RegionId.of("cn-beijing") : REGION;
            List<InstanceState> targets = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int t = 0; t < count; t++) {
                targets.add(target("i-" + ((n + t) % 9), STATUSES.get(random.nextInt(STATUSES.size()))));
            }
            String commandId = "c-" + random.nextInt(5);
            CommandSpec command = new CommandSpec(CommandId.of(commandId), "name-" + commandId.charAt(2), "",
                    n % 2 == 0 ? "RunShellScript" : "RunPythonScript", "echo", 60, "root", "/", "Process", null);
            // equal creation times on purpose: the id orders them
            InvocationState s = new InvocationState(InvokeId.of("t-" + Integer.toHexString(random.nextInt())), region,
                    command, Instant.ofEpochMilli(1_000_000L + random.nextInt(200) * 1000L), Instant.EPOCH, targets, 1,
                    null, null, account);
            view.created(s);
            if (random.nextBoolean()) { // a later version with other statuses: the indexes must move it
                List<InstanceState> later = targets.stream()
                        .map(i -> target(i.instanceId().value(), STATUSES.get(random.nextInt(STATUSES.size()))))
                        .toList();
                s = new InvocationState(s.invokeId(), region, command, s.creationTime(), Instant.EPOCH, later, 2,
                        null, null, account);
                view.apply(s);
            }
            states.add(s);
        }
        doThrow(new AssertionError("a Describe scanned the view")).when(view).all();
        ApiProperties props = new ApiProperties("none", Map.of(
                "cn-hangzhou", new ApiProperties.Region("Hangzhou", null, null, true),
                "cn-beijing", new ApiProperties.Region("Beijing", null, null, true)),
                Duration.ofSeconds(5), Duration.ofSeconds(20));
        ActionAuthorizer authorizer = r -> caller;
        Outputs outputs = new Outputs(mock(OutputStore.class));
        VisibleInvocations visible = new VisibleInvocations(view);
        invocations = new DescribeInvocationsAction(new Regions(props), authorizer, visible, outputs);
        results = new DescribeInvocationResultsAction(new Regions(props), authorizer, visible, outputs,
                new InvocationView(), mock(InvocationEventLog.class));
    }

    private static InstanceState target(String id, InstanceStatus status) {
        return new InstanceState(InstanceId.of(id), status, null, null, null, status.isTerminal() ? "out" : null, 0,
                Instant.EPOCH, null, null, null, Instant.EPOCH);
    }

    @Test
    void describeInvocationsPagesAsTheScanDid() {
        List<Map<String, String>> filters = List.of(Map.of(), Map.of("InvokeStatus", "Running"),
                Map.of("InvokeStatus", "finished"), Map.of("InvokeStatus", "PartialFailed"),
                Map.of("InstanceId", "i-3"), Map.of("CommandId", "c-2"), Map.of("CommandName", "name-1"),
                Map.of("InstanceId", "i-4", "InvokeStatus", "Failed"), Map.of("CommandId", "c-1", "InstanceId", "i-2"),
                Map.of("CommandType", "RunPythonScript", "InvokeStatus", "Stopped"), Map.of("InstanceId", "i-99"),
                Map.of("InstanceId", "not an id"), Map.of("InvokeId", states.get(5).invokeId().value()),
                Map.of("RepeatMode", "Period"), Map.of("RegionId", "cn-beijing"));
        for (String account : List.of("1001", "1003")) {
            caller = new Caller(account, "AK", "127.0.0.1", "R");
            for (Map<String, String> filter : filters) {
                List<String> expected = expectedInvocations(account, filter);
                assertThat(walkTokens(filter, 7, false)).as("tokens, %s %s", account, filter).isEqualTo(expected);
                assertThat(walkPages(filter, 6, false)).as("pages, %s %s", account, filter).isEqualTo(expected);
            }
        }
    }

    @Test
    void describeInvocationResultsPagesAsTheScanDid() {
        List<Map<String, String>> filters = List.of(Map.of(), Map.of("InvokeRecordStatus", "Finished"),
                Map.of("InvokeRecordStatus", "running"), Map.of("InstanceId", "i-5"), Map.of("CommandId", "c-3"),
                Map.of("CommandId", "c-0", "InstanceId", "i-1"), Map.of("InstanceId", "i-2", "InvokeRecordStatus",
                        "Failed"), Map.of("CommandId", "c-4", "InvokeRecordStatus", "Success"));
        for (String account : List.of("1001", "1002")) {
            caller = new Caller(account, "AK", "127.0.0.1", "R");
            for (Map<String, String> filter : filters) {
                List<String> expected = expectedResults(account, filter);
                assertThat(walkTokens(filter, 9, true)).as("tokens, %s %s", account, filter).isEqualTo(expected);
                assertThat(walkPages(filter, 8, true)).as("pages, %s %s", account, filter).isEqualTo(expected);
            }
        }
    }

    /** Every row by NextToken; each page's TotalCount is the number of rows. */
    private List<String> walkTokens(Map<String, String> filter, int size, boolean results) {
        List<String> rows = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> params = new LinkedHashMap<>(filter);
            params.put("MaxResults", String.valueOf(size));
            if (token != null) {
                params.put("NextToken", token);
            }
            Map<String, Object> body = describe(params, results);
            List<String> page = ids(body, results);
            assertThat(page.size()).isLessThanOrEqualTo(size);
            rows.addAll(page);
            token = (String) body.get("NextToken");
            assertThat(body.get("TotalCount")).isEqualTo(expectedTotal(filter, results));
        } while (!token.isEmpty());
        return rows;
    }

    private List<String> walkPages(Map<String, String> filter, int size, boolean results) {
        List<String> rows = new ArrayList<>();
        for (int number = 1; ; number++) {
            Map<String, String> params = new LinkedHashMap<>(filter);
            params.put("PageSize", String.valueOf(size));
            params.put("PageNumber", String.valueOf(number));
            Map<String, Object> body = describe(params, results);
            List<String> page = ids(body, results);
            assertThat(body.get("PageNumber")).isEqualTo((long) number);
            rows.addAll(page);
            if (page.size() < size || rows.size() == expectedTotal(filter, results)) {
                assertThat(body.get("NextToken")).isEqualTo("");
                return rows;
            }
        }
    }

    private int expectedTotal(Map<String, String> filter, boolean results) {
        return (results ? expectedResults(caller.accountId(), filter) : expectedInvocations(caller.accountId(), filter))
                .size();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> describe(Map<String, String> params, boolean results) {
        params.putIfAbsent("RegionId", "cn-hangzhou");
        RpcRequest request = new RpcRequest(results ? "DescribeInvocationResults" : "DescribeInvocations", params,
                "R", "127.0.0.1", null, null);
        return results ? (Map<String, Object>) results(request) : invocations.handle(request);
    }

    private Object results(RpcRequest request) {
        return this.results.handle(request).get("Invocation");
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> body, boolean results) {
        if (results) {
            List<Map<String, Object>> rows = (List<Map<String, Object>>) ((Map<String, Object>) body
                    .get("InvocationResults")).get("InvocationResult");
            return rows.stream().map(r -> r.get("InvokeId") + "/" + r.get("InstanceId")).toList();
        }
        List<Map<String, Object>> rows = (List<Map<String, Object>>) ((Map<String, Object>) body.get("Invocations"))
                .get("Invocation");
        return rows.stream().map(r -> (String) r.get("InvokeId")).toList();
    }

    /** The scan: every visible invocation in the region that passes the filter, in RowKey order. */
    private List<InvocationState> scan(String account, Map<String, String> filter) {
        RegionId region = RegionId.of(filter.getOrDefault("RegionId", "cn-hangzhou"));
        return states.stream()
                .filter(s -> s.ownerAccountId().equals(account) && s.regionId().equals(region))
                .sorted(Comparator.comparing(VisibleInvocations::key))
                .toList();
    }

    private List<String> expectedInvocations(String account, Map<String, String> f) {
        Predicate<InvocationState> p = s -> true;
        p = p.and(s -> !f.containsKey("InvokeId") || s.invokeId().value().equals(f.get("InvokeId")));
        p = p.and(s -> !f.containsKey("CommandId") || s.command().commandId().value().equals(f.get("CommandId")));
        p = p.and(s -> !f.containsKey("CommandName") || s.command().name().equals(f.get("CommandName")));
        p = p.and(s -> !f.containsKey("CommandType") || s.command().type().equals(f.get("CommandType")));
        p = p.and(s -> !f.containsKey("InstanceId")
                || s.instances().stream().anyMatch(i -> i.instanceId().value().equals(f.get("InstanceId"))));
        p = p.and(s -> !f.containsKey("InvokeStatus")
                || s.invocationStatus().wireName().equalsIgnoreCase(f.get("InvokeStatus"))
                || s.invocationStatus().legacyInvokeStatus().equalsIgnoreCase(f.get("InvokeStatus")));
        p = p.and(s -> !f.containsKey("RepeatMode") || f.get("RepeatMode").equals("Once"));
        return scan(account, f).stream().filter(p).map(s -> s.invokeId().value()).toList();
    }

    private List<String> expectedResults(String account, Map<String, String> f) {
        List<String> rows = new ArrayList<>();
        for (InvocationState s : scan(account, f)) {
            if (f.containsKey("CommandId") && !s.command().commandId().value().equals(f.get("CommandId"))) {
                continue;
            }
            for (InstanceState i : s.instances()) {
                boolean instance = !f.containsKey("InstanceId") || i.instanceId().value().equals(f.get("InstanceId"));
                String status = f.get("InvokeRecordStatus");
                boolean byStatus = status == null || i.status().invokeRecordStatus().equalsIgnoreCase(status)
                        || i.status().wireName().equalsIgnoreCase(status);
                if (instance && byStatus) {
                    rows.add(s.invokeId().value() + "/" + i.instanceId().value());
                }
            }
        }
        return rows;
    }
}
