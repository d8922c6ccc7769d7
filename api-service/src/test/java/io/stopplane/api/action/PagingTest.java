package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PagingTest {

    private static RpcRequest request(Map<String, String> params) {
        return new RpcRequest("DescribeInvocations", params, "R", "127.0.0.1", null, null);
    }

    private static List<RowKey> rows(int n) {
        List<RowKey> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new RowKey(1000 - i, "t-" + i, 0)); // already newest first
        }
        return rows;
    }

    /** A listing as the view gives it: from a position on, in order. */
    private static Function<RowKey, Stream<RowKey>> from(List<RowKey> sorted) {
        return after -> sorted.stream().filter(r -> after == null || r.compareTo(after) >= 0);
    }

    @Test
    void tokensWalkEveryRowOnceEvenWhenNewerRowsArrive() {
        List<RowKey> rows = rows(5);
        Paging.Page<RowKey> first = Paging.read(request(Map.of("MaxResults", "2")), 10, 50).apply(from(rows),
                rows.size(),
                Function.identity());
        assertThat(first.rows()).containsExactly(rows.get(0), rows.get(1));
        List<RowKey> grown = new ArrayList<>(rows);
        grown.add(0, new RowKey(2000, "t-new", 0));
        Paging.Page<RowKey> second = Paging.read(request(Map.of("MaxResults", "2", "NextToken", first.nextToken())),
                10, 50).apply(from(grown), grown.size(), Function.identity());
        assertThat(second.rows()).containsExactly(rows.get(2), rows.get(3));
        Paging.Page<RowKey> last = Paging.read(request(Map.of("MaxResults", "2", "NextToken", second.nextToken())),
                10, 50).apply(from(grown), grown.size(), Function.identity());
        assertThat(last.rows()).containsExactly(rows.get(4));
        assertThat(last.nextToken()).isEmpty();
        assertThat(last.total()).isEqualTo(6);
    }

    @Test
    void pageNumbersAreOffsets() {
        Paging paging = Paging.read(request(Map.of("PageNumber", "2", "PageSize", "2")), 10, 50);
        assertThat(paging.page()).isEqualTo(2);
        assertThat(paging.apply(from(rows(5)), 5, Function.identity()).rows()).extracting(RowKey::id)
                .containsExactly("t-2", "t-3");
    }

    @Test
    void theTokenStyleWinsWhenARequestMixesThem() {
        Paging paging = Paging.read(request(Map.of("PageNumber", "3", "MaxResults", "2")), 10, 50);
        assertThat(paging.page()).isZero();
        assertThat(paging.apply(from(rows(5)), 5, Function.identity()).rows()).extracting(RowKey::id)
                .containsExactly("t-0", "t-1");
    }

    @Test
    void aForeignTokenIsAnInvalidParameter() {
        for (String token : List.of("garbage!", "MTpub3RhbnVtYmVy")) {
            ApiException e = catchThrowableOfType(ApiException.class,
                    () -> Paging.read(request(Map.of("NextToken", token)), 10, 50));
            assertThat(e.error()).isEqualTo(ApiError.INVALID_PARAMETER);
            assertThat(e.getMessage()).contains("NextToken");
        }
    }

    @Test
    void tokensRoundTrip() {
        RowKey key = new RowKey(1_700_000_000_123L, "t-abc:def", 7);
        assertThat(RowKey.fromToken(key.token())).isEqualTo(key);
    }
}
