package io.stopplane.bench;

import io.stopplane.access.KafkaLogin;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** What every phase shares: the settings, the signed client, the state watcher, the progress line. */
final class BenchContext implements AutoCloseable {

    final BenchConfig config;
    final RpcClient client;
    final StateWatcher watcher;
    final Progress progress;
    final Admin admin;

    BenchContext(BenchConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
        this.client = new RpcClient(config.target(), new AcsV3Signer(config.accessKeyId(), config.accessKeySecret()));
        this.watcher = new StateWatcher(config.bootstrap());
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.putAll(KafkaLogin.fromEnvironment());
        this.admin = Admin.create(p);
    }

    /** Where the CPU goes from now until {@link CpuAccount#stop()}. */
    CpuAccount cpu() {
        CpuAccount a = new CpuAccount(config.pidsDir());
        a.start();
        return a;
    }

    /**
     * Waits (at most {@code maxSeconds}) until the dispatcher has folded everything on invocation-events, so that a
     * phase does not pay for the backlog of the one before.
     */
    void settle(int maxSeconds) {
        try {
            java.util.concurrent.atomic.AtomicLong lag = new java.util.concurrent.atomic.AtomicLong();
            RecoveryBench.awaitFolded(admin, lag, maxSeconds);
        } catch (Exception e) {
            progress.say("not settled: " + e.getMessage());
        }
    }

    /** The log size on the brokers of each topic {@code which} accepts, in bytes (empty if the brokers do not say). */
    Map<String, Long> topicBytes(java.util.function.Predicate<String> which) {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            var nodes = admin.describeCluster().nodes().get();
            var dirs = admin.describeLogDirs(nodes.stream().map(x -> x.id()).toList()).allDescriptions().get();
            for (var broker : dirs.values()) {
                for (var dir : broker.values()) {
                    dir.replicaInfos().forEach((tp, info) -> {
                        if (which.test(tp.topic())) {
                            out.merge(tp.topic(), info.size(), Long::sum);
                        }
                    });
                }
            }
        } catch (Exception e) {
            // sizes are context only
        }
        return out;
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("RegionId", RpcClient.REGION);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** RunCommand of {@code sleep 600} (timeout an hour) on the given instances; returns the InvokeId. */
    String runSleep(java.util.List<String> instances) throws IOException {
        Map<String, String> p = params("Type", "RunShellScript", "CommandContent", "sleep 600", "Timeout", "3600",
                "Name", "stopplane-bench");
        for (int i = 0; i < instances.size(); i++) {
            p.put("InstanceId." + (i + 1), instances.get(i));
        }
        RpcClient.Response r = client.call("RunCommand", p);
        if (!r.ok()) {
            throw new IOException("RunCommand failed: " + r.status() + " " + r.body());
        }
        return r.json().get("InvokeId").asString();
    }

    RpcClient.Response stop(String invokeId) throws IOException {
        return client.call("StopInvocation", params("InvokeId", invokeId));
    }

    /** The per-instance statuses DescribeInvocations gives for one invocation, or null if it does not list it. */
    Map<String, String> describe(String invokeId) throws IOException {
        RpcClient.Response r = client.call("DescribeInvocations", params("InvokeId", invokeId));
        if (!r.ok()) {
            return null;
        }
        var list = r.json().path("Invocations").path("Invocation");
        if (!list.isArray() || list.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var i : list.get(0).path("InvokeInstances").path("InvokeInstance")) {
            out.put(i.path("InstanceId").asString(), i.path("InvocationStatus").asString());
        }
        return out;
    }

    static boolean firstTerminal(InvocationState s) {
        InstanceState i = s.instances().get(0);
        return i.status().isTerminal();
    }

    @Override
    public void close() {
        watcher.close();
        client.close();
        admin.close();
    }
}
