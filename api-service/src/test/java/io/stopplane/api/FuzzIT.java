package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.LogScan;
import io.stopplane.api.support.RawFuzz;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz of the RPC endpoint over raw sockets (see {@link RawFuzz}), including what Tomcat refuses before the
 * application sees it. No answer may be a 5xx, every error must come in the Alibaba shape, and no log line may carry
 * the marker the fuzz puts in every CommandContent and in some request lines.
 */
class FuzzIT extends ApiITSupport {

    private static final int REQUESTS = 2000;
    private static final String MARKER = "fuzzmarker";

    private LogScan logs;

    @BeforeEach
    void scanTheLogs() {
        logs = new LogScan();
    }

    /** Tomcat logs the first request line it cannot parse in a JVM at INFO: whichever test that is, it is scanned. */
    @AfterEach
    void noLogLineCarriesTheMarker() {
        try {
            assertThat(logs.lines()).as("the scan sees the refusals' lines").anyMatch(l -> l.contains("InvalidParameter")
                    || l.contains("InvalidApi.NotFound"));
            assertThat(logs.linesWith(MARKER)).as("CommandContent and what Tomcat refused, in no log line").isEmpty();
        } finally {
            logs.close();
        }
    }

    @Test
    void noFiveHundredsAndEveryErrorInTheAlibabaShape() throws Exception {
        register("i-fuzz0001", "i-fuzz0002");
        RawFuzz fuzz = new RawFuzz(port, MARKER);
        Random random = new Random(20261127);
        List<String> failures = new ArrayList<>();
        Set<Integer> statuses = new TreeSet<>();
        for (int i = 0; i < REQUESTS && failures.size() < 5; i++) {
            RawFuzz.Exchange e = fuzz.next(random);
            statuses.add(e.response().status());
            String problem = RawFuzz.problem(e.response());
            if (problem != null) {
                failures.add(problem + " for request:\n" + e.describe());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(statuses).as("the fuzz reaches the actions and the container's refusals").contains(200, 400, 404);
    }

    @Test
    void whatTomcatRefusesItselfIsAnAlibabaErrorToo() throws Exception {
        RawFuzz fuzz = new RawFuzz(port, MARKER);
        String host = "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n";
        Map<String, String> requests = new LinkedHashMap<>();
        for (String raw : List.of("|", "{", "}", "^", "<", "%", "%zz", "\"", "`")) {
            requests.put("query with " + raw, "GET /?Action=DescribeRegions&CommandContent=" + MARKER + raw
                    + " HTTP/1.1\r\n" + host + "\r\n");
        }
        requests.put("a bad method", "G@T / HTTP/1.1\r\n" + host + "\r\n");
        requests.put("CONNECT", "CONNECT 127.0.0.1:1 HTTP/1.1\r\n" + host + "\r\n");
        requests.put("an unknown HTTP version", "GET / HTTP/9.9\r\n" + host + "\r\n");
        requests.put("a header line without a colon", "GET / HTTP/1.1\r\n" + host + "no colon\r\n\r\n");
        requests.put("an oversize header", "GET / HTTP/1.1\r\n" + host + "X-Big: " + "x".repeat(300 * 1024)
                + "\r\n\r\n");
        for (Map.Entry<String, String> r : requests.entrySet()) {
            RawFuzz.Response answer = fuzz.send(r.getValue().getBytes(StandardCharsets.ISO_8859_1));
            assertThat(answer.status()).as(r.getKey() + ": " + answer).isBetween(400, 499);
            assertThat(RawFuzz.problem(answer)).as(r.getKey() + ": " + answer).isNull();
            assertThat(answer.head()).as(r.getKey()).containsIgnoringCase("x-acs-request-id");
        }
    }
}
