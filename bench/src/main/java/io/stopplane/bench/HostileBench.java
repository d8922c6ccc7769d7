package io.stopplane.bench;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * (6) The API under hostile load, and its heap over time (issue 17's Measure).
 * <ul>
 * <li>1,000 accounts: the bench appends 999 generated accounts to the stack's credentials file (the API reloads it
 *     within seconds) and restores the file afterwards;</li>
 * <li>N invocations (default 1,000,000) spread over them, written as state records straight to
 *     {@code invocation-state}, the topic the API's view reads (the dispatcher never hears of them);</li>
 * <li>honest clients from 127.0.0.1 at 200 calls/s, open loop (latency from each call's due time): Describe* with
 *     filters across the accounts, RunCommand with a ClientToken (a tenth of the calls retry a token), StopInvocation
 *     of what they ran, all signed V3 with each account's own key; beside them, 200 connections of abuse sending as
 *     fast as they are answered from 127.0.0.2 to 127.0.0.9: bad signatures, replays, oversize queries, Describe* of
 *     everything, unknown actions. The API throttles failed requests per source address before authentication
 *     ({@code SourceThrottle}), so abuse sent from the honest clients' address would throttle them too;</li>
 * <li>the API's heap after a full GC before and after the load;</li>
 * <li>then retention: the preloaded records are tombstoned, the dispatcher restarted with a retention of minutes, and
 *     100 RunCommand/s sent for a few retention periods while the API's heap is taken after a full GC every 20 s: once
 *     the window is full the heap should stay flat. The dispatcher is restarted with its own retention at the end.</li>
 * </ul>
 */
final class HostileBench {

    static final int ACCOUNTS = 1_000;
    static final double HONEST_RATE = 200;
    static final int ABUSERS = 200;
    /** The abusers' addresses: 127.0.0.2 to 127.0.0.9, never the honest clients' 127.0.0.1. */
    static final int ABUSE_SOURCES = 8;
    static final int INSTANCES_PER_ACCOUNT = 10;
    static final int COMMANDS_PER_ACCOUNT = 20;
    /** Beyond Tomcat's header limit (server.max-http-request-header-size, 256 KB): refused before the application. */
    static final int OVERSIZE_BYTES = 270 * 1024;
    static final double P99_TARGET_MS = 50;
    static final double HEAP_RATIO_TARGET = 1.2;
    static final double RETENTION_RATE = 100;
    static final int HEAP_SAMPLE_SECONDS = 20;
    /** How long the timer scan may take to notice an expiry after it is due (its interval is 1 s). */
    static final int EXPIRY_SLACK_SECONDS = 10;

    /** What an honest client asks, by call number: ten calls, repeated; a fifth run and a fifth stop. */
    enum Honest { BY_STATUS, BY_INSTANCE, BY_COMMAND, RESULTS, AGENTS, RUN, STOP, PAGE, RUN_RETRY }

    private static final Honest[] MIX = {Honest.BY_STATUS, Honest.BY_INSTANCE, Honest.BY_COMMAND, Honest.RESULTS,
        Honest.AGENTS, Honest.RUN, Honest.STOP, Honest.PAGE, Honest.RUN_RETRY, Honest.STOP};
    private static final int RUN_AT = List.of(MIX).indexOf(Honest.RUN);

    /** What an abusive connection sends, in turn. */
    enum Abuse { BAD_SIGNATURE, REPLAY, OVERSIZE_QUERY, DESCRIBE_EVERYTHING, UNKNOWN_ACTION }

    record Sample(double seconds, Double heapMb, long invocationsInView) {
    }

    record Retention(int retentionSeconds, int runSeconds, double rate, long runs, Map<String, Long> errors,
            List<Sample> samples, Double heapMb, Double slopeMbPerMinute, Double baselineMb, Double mbPerInvocation,
            Double extrapolatedOneHourMb) {

        boolean flat() {
            return heapMb != null && slopeMbPerMinute != null && Math.abs(slopeMbPerMinute) * 30 <= 0.1 * heapMb;
        }
    }

    record Result(int invocations, int accounts, double preloadSeconds, double viewSeconds, Histogram honest,
            Map<String, Histogram> honestByKind, long honest5xx, long honestErrors, long honestNotSent,
            Map<String, Long> honestCodes,
            long abuseRequests, double abuseSeconds, Map<String, Long> abuseCodes, Double heapBeforeMb,
            Double heapAfterMb, Retention retention, String note) {

        Double heapRatio() {
            return heapBeforeMb == null || heapAfterMb == null ? null : heapAfterMb / heapBeforeMb;
        }
    }

    private final BenchContext ctx;
    private final StackParts parts;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final AcsV3Signer[] keys = new AcsV3Signer[ACCOUNTS];
    private final String[] accounts = new String[ACCOUNTS];
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuilder note = new StringBuilder();

    HostileBench(BenchContext ctx) {
        this.ctx = ctx;
        this.parts = new StackParts(ctx.config);
    }

    static Honest honest(int call) {
        return MIX[call % MIX.length];
    }

    /** The ClientToken number of a RunCommand call: a retry reuses the one of the run before it in its ten. */
    static int tokenOf(int call) {
        return honest(call) == Honest.RUN_RETRY ? call - call % MIX.length + RUN_AT : call;
    }

    /** The account whose key signs an honest Describe: each ten calls another account, all 1,000 in turn. */
    static int accountOf(int call) {
        return (call / MIX.length) % ACCOUNTS;
    }

    static Abuse abuse(int connection, long request) {
        Abuse[] all = Abuse.values();
        return all[(int) ((connection + request) % all.length)];
    }

    static String abuseSource(int connection) {
        return "127.0.0." + (2 + connection % ABUSE_SOURCES);
    }

    /** The accounts 1..999 the bench adds to a credentials file, in its shape (each key enabled, every action). */
    static String extraAccounts(String[] ids, String[] keyIds, String[] secrets) {
        StringBuilder y = new StringBuilder("  # added by bench phase hostile (restored afterwards)\n");
        for (int a = 1; a < ids.length; a++) {
            y.append("  - id: \"").append(ids[a]).append("\"\n    keys:\n      - accessKeyId: ").append(keyIds[a])
                    .append("\n        accessKeySecret: \"").append(secrets[a])
                    .append("\"\n        enabled: true\n        actions: [\"*\"]\n");
        }
        return y.toString();
    }

    /** The least-squares slope of heap over time, in MB per minute (null with fewer than two samples). */
    static Double slopeMbPerMinute(List<Sample> samples) {
        List<Sample> s = samples.stream().filter(x -> x.heapMb() != null).toList();
        if (s.size() < 2) {
            return null;
        }
        double mt = s.stream().mapToDouble(Sample::seconds).average().orElseThrow();
        double mh = s.stream().mapToDouble(Sample::heapMb).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (Sample x : s) {
            num += (x.seconds() - mt) * (x.heapMb() - mh);
            den += (x.seconds() - mt) * (x.seconds() - mt);
        }
        return den == 0 ? null : num / den * 60;
    }

    Result run() throws Exception {
        BenchConfig c = ctx.config;
        if (c.credentials() == null || c.accountId() == null || !parts.available()) {
            throw new IOException("phase hostile needs signature mode (--credentials) and the launcher: run it through"
                    + " bin/stopplane bench");
        }
        Path credentials = c.credentials();
        String original = Files.readString(credentials);
        try {
            addAccounts(credentials, original);
            long t0 = System.nanoTime();
            long before = viewCount();
            preload(c.hostileInvocations());
            double preloadSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            awaitView(v -> v >= before + c.hostileInvocations(), "(6) the API's view reads them");
            double viewSeconds = (System.nanoTime() - t1) / 1e9;
            ctx.progress.say(String.format("(6) %,d invocations written in %.1f s, in the API's view %.1f s later",
                    c.hostileInvocations(), preloadSeconds, viewSeconds));
            Double heapBefore = parts.heapMbAfterGc("api-service");
            ctx.progress.say("(6) api-service heap after a full GC, before the load: " + heapBefore + " MB");
            Result load = load(c, preloadSeconds, viewSeconds, heapBefore);
            Retention retention = null;
            try {
                retention = retention(c);
            } catch (Exception e) {
                // the load's figures stand without it
                note.append("retention not measured: ").append(e).append("; ");
                ctx.progress.say("(6) retention not measured: " + e);
            }
            return new Result(load.invocations(), ACCOUNTS, preloadSeconds, viewSeconds, load.honest(),
                    load.honestByKind(), load.honest5xx(), load.honestErrors(), load.honestNotSent(),
                    load.honestCodes(),
                    load.abuseRequests(), load.abuseSeconds(), load.abuseCodes(), heapBefore, load.heapAfterMb(),
                    retention, note.toString());
        } finally {
            Files.writeString(credentials, original);
        }
    }

    // ---- accounts ------------------------------------------------------------------------------------------------

    private void addAccounts(Path credentials, String original) throws Exception {
        BenchConfig c = ctx.config;
        String[] keyIds = new String[ACCOUNTS];
        String[] secrets = new String[ACCOUNTS];
        accounts[0] = c.accountId();
        keys[0] = new AcsV3Signer(c.accessKeyId(), c.accessKeySecret());
        HexFormat hex = HexFormat.of();
        for (int a = 1; a < ACCOUNTS; a++) {
            accounts[a] = String.format("2%015d", a);
            keyIds[a] = String.format("LTAIhostile%s%04d", run, a);
            byte[] secret = new byte[18];
            ThreadLocalRandom.current().nextBytes(secret);
            secrets[a] = hex.formatHex(secret);
            keys[a] = new AcsV3Signer(keyIds[a], secrets[a]);
        }
        Files.writeString(credentials, (original.endsWith("\n") ? original : original + "\n")
                + extraAccounts(accounts, keyIds, secrets));
        ctx.progress.phase("(6) the API reloads the credentials file with 1,000 accounts", () -> "");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!ctx.client.call(keys[ACCOUNTS - 1], "DescribeRegions", BenchContext.params()).ok()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the API did not take the 999 added accounts within 120 s");
            }
            Thread.sleep(500);
        }
    }

    // ---- the view ------------------------------------------------------------------------------------------------

    private static String instanceOf(BenchConfig c, int account, int k) {
        return account == 0 ? c.instances().get(k % c.instances().size())
                : String.format("i-hs%03d%02d", account, k % INSTANCES_PER_ACCOUNT);
    }

    private String commandOf(int account, int k) {
        return String.format("c-hs%s%03d%02d", run, account, k % COMMANDS_PER_ACCOUNT);
    }

    private String preloadedId(int i) {
        return String.format("t-hs%s%07d", run, i);
    }

    /** N finished invocations (a tenth Failed, a tenth Terminated) over the accounts, each with a ClientToken. */
    private void preload(int n) throws Exception {
        AtomicLong acked = new AtomicLong();
        ctx.progress.phase(String.format("(6) writing %,d invocation states of %,d accounts to invocation-state", n,
                ACCOUNTS), () -> String.format("%,d of %,d acknowledged", acked.get(), n));
        String[] templates = {template(InstanceStatus.SUCCESS, 0), template(InstanceStatus.FAILED, 1),
            template(InstanceStatus.TERMINATED, null)};
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(fastProducer())) {
            for (int i = 0; i < n; i++) {
                int a = i % ACCOUNTS;
                int k = i / ACCOUNTS;
                String id = preloadedId(i);
                String json = templates[k % 10 == 0 ? 1 : k % 10 == 1 ? 2 : 0].replace("t-PLACEHOLDERINVOKE", id)
                        .replace("PLACEHOLDERACCOUNT", accounts[a])
                        .replace("i-PLACEHOLDERINSTANCE", instanceOf(ctx.config, a, k))
                        .replace("c-PLACEHOLDERCOMMAND", commandOf(a, k))
                        .replace("PLACEHOLDERTOKEN", "hs-" + run + "-" + i);
                producer.send(new ProducerRecord<>(Topics.INVOCATION_STATE.name(), id,
                        json.getBytes(StandardCharsets.UTF_8)), (m, e) -> {
                            if (e == null) {
                                acked.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (acked.get() != n) {
            throw new IOException((n - acked.get()) + " of " + n + " state records were not acknowledged");
        }
    }

    private Properties fastProducer() {
        Properties p = BenchKafka.durableProducer(ctx.config.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    /** One invocation state serialized with placeholders (Jackson once, not a million times). */
    private static String template(InstanceStatus status, Integer exitCode) {
        Instant created = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Instant finished = created.plusMillis(900);
        InstanceId instance = InstanceId.of("i-PLACEHOLDERINSTANCE");
        InstanceState target = new InstanceState(instance, status, exitCode, null, null, null, 0, created,
                created.plusMillis(300), finished, status == InstanceStatus.TERMINATED ? finished : null, finished);
        InvocationState state = new InvocationState(InvokeId.of("t-PLACEHOLDERINVOKE"), RegionId.of(RpcClient.REGION),
                new CommandSpec(CommandId.of("c-PLACEHOLDERCOMMAND"), "nightly-logrotate", null,
                        CommandSpec.RUN_SHELL_SCRIPT, "logrotate -f /etc/logrotate.conf", 3600, null, null, null),
                created, finished, List.of(target), 3, "PLACEHOLDERTOKEN", "hostile-bench-digest",
                "PLACEHOLDERACCOUNT");
        return StopPlaneJson.mapper().writeValueAsString(state);
    }

    /**
     * The invocations in the API's view (its gauge, on the management port); a few tries, for an API that is busy
     * applying a flood of records (-1 if it still does not answer).
     */
    private long viewCount() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long n = viewCountOnce();
            if (n >= 0) {
                return n;
            }
        }
        return -1;
    }

    private long viewCountOnce() {
        String port = System.getenv().getOrDefault("STOPPLANE_API_MANAGEMENT_PORT", "8180");
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long sum = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith("stopplane_api_invocations{")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitView(java.util.function.LongPredicate done, String what) throws Exception {
        long[] seen = {-1};
        ctx.progress.phase(what, () -> String.format("%,d invocations in the view", seen[0]));
        long deadline = System.nanoTime() + 900_000_000_000L;
        while (!done.test(seen[0] = viewCount())) {
            if (System.nanoTime() > deadline) {
                throw new IOException(what + ": not within 900 s (" + seen[0] + " in the view)");
            }
            Thread.sleep(2000);
        }
    }

    // ---- the load ------------------------------------------------------------------------------------------------

    private Result load(BenchConfig c, double preloadSeconds, double viewSeconds, Double heapBefore) throws Exception {
        InetAddress honestSource = loopback() ? InetAddress.getByName("127.0.0.1") : null;
        Latency all = new Latency();
        Map<Honest, Latency> byKind = new EnumMap<>(Honest.class);
        for (Honest h : Honest.values()) {
            byKind.put(h, new Latency());
        }
        Map<String, LongAdder> honestCodes = new ConcurrentHashMap<>();
        Map<String, LongAdder> abuseCodes = new ConcurrentHashMap<>();
        LongAdder honest5xx = new LongAdder();
        LongAdder honestErrors = new LongAdder();
        LongAdder abuseRequests = new LongAdder();
        LongAdder notSent = new LongAdder();
        ConcurrentLinkedQueue<String> toStop = new ConcurrentLinkedQueue<>();
        int warm = (int) (HONEST_RATE * c.hostileWarmupSeconds());
        int total = warm + (int) (HONEST_RATE * c.hostileSeconds());
        AtomicLong done = new AtomicLong();
        ctx.progress.phase(String.format("(6) honest clients at %.0f calls/s beside %d abusive connections "
                + "(%d s warm-up, %d s measured)", HONEST_RATE, ABUSERS, c.hostileWarmupSeconds(), c.hostileSeconds()),
                () -> String.format("%d of %d honest calls; %s; %d abusive requests", done.get(), total,
                        Latency.brief(all.snapshot()), abuseRequests.sum()));
        AtomicBoolean abusing = new AtomicBoolean(true);
        List<Thread> abusers = new ArrayList<>();
        long abuseStart = System.nanoTime();
        for (int i = 0; i < ABUSERS; i++) {
            int connection = i;
            Thread t = new Thread(() -> abuse(connection, abusing, abuseRequests, abuseCodes), "hostile-abuse-" + i);
            t.setDaemon(true);
            t.start();
            abusers.add(t);
        }
        all.counting(true);
        byKind.values().forEach(l -> l.counting(true));
        ThreadPoolExecutor pool = OpenLoop.pool("hostile-honest", 256);
        try (RpcClient honest = new RpcClient(c.target(), keys[0], honestSource)) {
            long start = System.nanoTime() + 200_000_000L;
            OpenLoop.run(HONEST_RATE, start, total, pool, (i, due) -> {
                Honest kind = honest(i);
                String code;
                try {
                    RpcClient.Response r = honestCall(honest, i, toStop);
                    code = r.ok() ? "OK" : r.code();
                    if (r.status() >= 500) {
                        honest5xx.increment();
                    }
                } catch (IOException | RuntimeException e) {
                    code = "io: " + e.getClass().getSimpleName();
                    honestErrors.increment();
                }
                long elapsed = System.nanoTime() - due;
                if (i >= warm) {
                    all.recordNanos(elapsed);
                    byKind.get(kind).recordNanos(elapsed);
                    honestCodes.computeIfAbsent(kind + " " + code, k -> new LongAdder()).increment();
                }
                done.incrementAndGet();
            }, () -> true);
            pool.shutdown();
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                int dropped = pool.shutdownNow().size();
                notSent.add(dropped);
                note.append(dropped).append(" honest calls not even sent 60 s after the last was due (counted in"
                        + " honest_not_sent, not in the latencies); ");
            }
        }
        abusing.set(false);
        double abuseSeconds = (System.nanoTime() - abuseStart) / 1e9;
        for (Thread t : abusers) {
            t.join(60_000);
        }
        Histogram h = all.snapshot();
        ctx.progress.say(String.format("(6) honest: %s, %d × 5xx, %d I/O errors; abuse: %d requests in %.0f s",
                Latency.brief(h), honest5xx.sum(), honestErrors.sum(), abuseRequests.sum(), abuseSeconds));
        Map<String, Histogram> kinds = new TreeMap<>();
        byKind.forEach((k, l) -> kinds.put(k.name(), l.snapshot()));
        Double heapAfter = parts.heapMbAfterGc("api-service");
        ctx.progress.say("(6) api-service heap after the load and a full GC: " + heapAfter + " MB (before: "
                + heapBefore + " MB)");
        return new Result(c.hostileInvocations(), ACCOUNTS, preloadSeconds, viewSeconds, h, kinds, honest5xx.sum(),
                honestErrors.sum(), notSent.sum(), sums(honestCodes), abuseRequests.sum(), abuseSeconds,
                sums(abuseCodes),
                heapBefore, heapAfter, null, "");
    }

    private boolean loopback() {
        try {
            return InetAddress.getByName(ctx.config.target().getHost()).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private RpcClient.Response honestCall(RpcClient client, int i, ConcurrentLinkedQueue<String> toStop)
            throws IOException {
        BenchConfig c = ctx.config;
        int a = accountOf(i);
        int k = i / MIX.length;
        AcsV3Signer key = keys[a];
        return switch (honest(i)) {
            case BY_STATUS -> client.call(key, "DescribeInvocations", BenchContext.params("InvokeStatus",
                    i % 20 < 10 ? "Success" : "Failed", "PageSize", "10"));
            case BY_INSTANCE -> client.call(key, "DescribeInvocations", BenchContext.params("InstanceId",
                    instanceOf(c, a, k), "PageSize", "10"));
            case BY_COMMAND -> client.call(key, "DescribeInvocations", BenchContext.params("CommandId",
                    commandOf(a, k), "PageSize", "10"));
            case RESULTS -> client.call(key, "DescribeInvocationResults", BenchContext.params("InstanceId",
                    instanceOf(c, a, k), "InvokeRecordStatus", "Finished", "PageSize", "10"));
            case AGENTS -> client.call(keys[0], "DescribeCloudAssistantStatus", BenchContext.params(
                    "InstanceId.1", instanceOf(c, 0, k), "InstanceId.2", instanceOf(c, 0, k + 1)));
            case PAGE -> client.call(key, "DescribeInvocations", BenchContext.params("PageNumber", "5",
                    "PageSize", "10"));
            case RUN, RUN_RETRY -> {
                RpcClient.Response r = runCommand(client, tokenOf(i), "sleep 30", 60);
                if (r.ok() && honest(i) == Honest.RUN) {
                    toStop.add(r.json().get("InvokeId").asString());
                }
                yield r;
            }
            case STOP -> {
                String id = toStop.poll();
                yield id == null
                        ? client.call(keys[0], "DescribeInvocations", BenchContext.params("PageSize", "10"))
                        : client.call(keys[0], "StopInvocation", BenchContext.params("InvokeId", id));
            }
        };
    }

    /** RunCommand as account 0 (the one owning the agent's instances), its parameters fixed by its token. */
    private RpcClient.Response runCommand(RpcClient client, int token, String content, int timeout)
            throws IOException {
        return client.call(keys[0], "RunCommand", BenchContext.params("Type", "RunShellScript", "CommandContent",
                content, "Timeout", Integer.toString(timeout), "Name", "stopplane-hostile", "ClientToken",
                "hs-" + run + "-run-" + token, "InstanceId.1", instanceOf(ctx.config, 0, token)));
    }

    /** One abusive connection: as fast as it is answered, from an address of its own. */
    private void abuse(int connection, AtomicBoolean abusing, LongAdder requests, Map<String, LongAdder> codes) {
        BenchConfig c = ctx.config;
        AcsV3Signer mine = keys[ACCOUNTS - 1 - connection % 10];
        AcsV3Signer forged = new AcsV3Signer(c.accessKeyId(), "not-the-secret-" + connection);
        InetAddress source = null;
        try {
            source = loopback() ? InetAddress.getByName(abuseSource(connection)) : null;
        } catch (IOException e) {
            // not loopback: from the bench's address, and the honest clients share its throttle (noted in the doc)
        }
        try (RpcClient client = new RpcClient(c.target(), mine, source)) {
            // refused by Tomcat before any signature check: signed once, not at every send (the bench's CPU)
            AcsV3Signer.Signed oversize = mine.sign(client.host(), "DescribeInvocations",
                    BenchContext.params("CommandName", "x".repeat(OVERSIZE_BYTES)));
            for (long n = 0; abusing.get(); n++) {
                Abuse kind = abuse(connection, n);
                String code;
                try {
                    RpcClient.Response r = switch (kind) {
                        case BAD_SIGNATURE -> client.call(forged, "DescribeInvocations", BenchContext.params());
                        case REPLAY -> {
                            AcsV3Signer.Signed once = mine.sign(client.host(), "DescribeInvocations",
                                    BenchContext.params("PageSize", "1"));
                            client.send(once);
                            yield client.send(once);
                        }
                        case OVERSIZE_QUERY -> client.send(oversize);
                        case DESCRIBE_EVERYTHING -> n % 3 == 0
                                ? client.call("DescribeCloudAssistantStatus", BenchContext.params())
                                : client.call(n % 3 == 1 ? "DescribeInvocations" : "DescribeInvocationResults",
                                        BenchContext.params("PageSize", "50"));
                        case UNKNOWN_ACTION -> client.call("DescribeEverythingAtOnce", BenchContext.params());
                    };
                    code = r.ok() ? "OK" : r.code();
                } catch (IOException | RuntimeException e) {
                    code = "io: " + e.getClass().getSimpleName();
                }
                requests.increment();
                codes.computeIfAbsent(kind + " " + code, x -> new LongAdder()).increment();
            }
        }
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    // ---- retention -----------------------------------------------------------------------------------------------

    private Retention retention(BenchConfig c) throws Exception {
        // 1. forget the preloaded states (tombstones, as the dispatcher writes them at expiry)
        long withPreloaded = viewCount();
        if (withPreloaded < c.hostileInvocations()) {
            throw new IOException("the API's view count does not answer (" + withPreloaded + ")");
        }
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(fastProducer())) {
            for (int i = 0; i < c.hostileInvocations(); i++) {
                producer.send(new ProducerRecord<>(Topics.INVOCATION_STATE.name(), preloadedId(i), null));
            }
            producer.flush();
        }
        // what the load ran stays (its retention is the dispatcher's default until the restart below)
        awaitView(v -> v >= 0 && v <= withPreloaded - c.hostileInvocations(),
                "(6) the preloaded invocations tombstoned");
        // 2. the dispatcher with a retention of minutes
        Map<String, String> shortRetention = Map.of("STOPPLANE_RETENTION", c.retentionSeconds() + "s");
        restartDispatcher(shortRetention);
        try {
            return measureRetention(c);
        } finally {
            restartDispatcher(Map.of());
        }
    }

    private void restartDispatcher(Map<String, String> env) throws Exception {
        ctx.progress.phase("(6) restarting the dispatcher" + (env.isEmpty() ? "" : " with " + env), () -> "");
        parts.kill("dispatcher", false);
        parts.awaitStarted(parts.start("dispatcher", env), "dispatcher");
    }

    private Retention measureRetention(BenchConfig c) throws Exception {
        int total = (int) (RETENTION_RATE * c.retentionRunSeconds());
        LongAdder runs = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<Sample> samples = new ArrayList<>();
        ctx.progress.phase(String.format("(6) retention %d s: %.0f RunCommand/s for %d s, the API's heap every %d s",
                c.retentionSeconds(), RETENTION_RATE, c.retentionRunSeconds(), HEAP_SAMPLE_SECONDS),
                () -> String.format("%d runs; last heap %s", runs.sum(), samples.isEmpty() ? "-"
                        : samples.get(samples.size() - 1)));
        Double baseline = parts.heapMbAfterGc("api-service");
        samples.add(new Sample(0, baseline, viewCount()));
        ThreadPoolExecutor pool = OpenLoop.pool("hostile-retention", 128);
        long start = System.nanoTime() + 200_000_000L;
        int offset = 1 << 28; // tokens apart from the load's
        Thread driver = new Thread(() -> OpenLoop.run(RETENTION_RATE, start, total, pool, (i, due) -> {
            try {
                RpcClient.Response r = runCommand(ctx.client, offset + i, "echo hostile", 60);
                if (r.ok()) {
                    runs.increment();
                } else {
                    errors.computeIfAbsent(r.code(), x -> new LongAdder()).increment();
                }
            } catch (IOException | RuntimeException e) {
                errors.computeIfAbsent("io: " + e.getClass().getSimpleName(), x -> new LongAdder()).increment();
            }
        }, () -> true), "hostile-retention-driver");
        driver.setDaemon(true);
        driver.start();
        while (driver.isAlive()) {
            OpenLoop.waitUntil(start + (long) samples.size() * HEAP_SAMPLE_SECONDS * 1_000_000_000L);
            if (driver.isAlive()) {
                samples.add(new Sample(Math.round((System.nanoTime() - start) / 1e8) / 10.0,
                        parts.heapMbAfterGc("api-service"), viewCount()));
            }
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        double full = c.retentionSeconds() + EXPIRY_SLACK_SECONDS;
        List<Sample> windowFull = samples.stream().filter(s -> s.seconds() >= full && s.heapMb() != null).toList();
        Double heap = windowFull.isEmpty() ? null
                : windowFull.stream().mapToDouble(Sample::heapMb).average().orElseThrow();
        double view = windowFull.stream().mapToLong(Sample::invocationsInView).average().orElse(0);
        Double perInvocation = heap == null || baseline == null || view <= 0 ? null : (heap - baseline) / view;
        // the live window of a 1 h retention at this rate: rate × 3,600 s invocations, at the measured cost each
        Double oneHour = perInvocation == null ? null : baseline + perInvocation * RETENTION_RATE * 3600;
        ctx.progress.say(String.format("(6) retention: heap %s MB once the window is full (slope %s MB/min), %d runs",
                heap, slopeMbPerMinute(windowFull), runs.sum()));
        return new Retention(c.retentionSeconds(), c.retentionRunSeconds(), RETENTION_RATE, runs.sum(), sums(errors),
                samples, heap, slopeMbPerMinute(windowFull), baseline, perInvocation, oneHour);
    }
}
