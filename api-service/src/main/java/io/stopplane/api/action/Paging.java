package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Paging of a Describe action: {@code MaxResults} + {@code NextToken} (a position, see {@link RowKey}), or the older
 * {@code PageNumber} + {@code PageSize} (an offset). The token style wins when a request mixes them.
 *
 * @param page the page number in the older style, 0 in the token style
 */
record Paging(int size, long page, RowKey after) {

    /** One page of rows, the number of rows matching in all, and the token for the next page ("" at the end). */
    record Page<T>(List<T> rows, int total, String nextToken) {
    }

    static Paging read(RpcRequest request, int defaultSize, int maxSize) {
        int pageSize = request.intParam("PageSize", defaultSize, 1, maxSize);
        int pageNumber = request.intParam("PageNumber", 1, 1, Integer.MAX_VALUE);
        int maxResults = request.intParam("MaxResults", defaultSize, 1, maxSize);
        RowKey after = request.optional("NextToken").map(RowKey::fromToken).orElse(null);
        boolean tokenStyle = after != null || request.optional("MaxResults").isPresent();
        boolean pageStyle = request.optional("PageNumber").isPresent() || request.optional("PageSize").isPresent();
        if (pageStyle && !tokenStyle) {
            return new Paging(pageSize, pageNumber, null);
        }
        return new Paging(maxResults, 0, after);
    }

    /**
     * One page of a listing in {@link RowKey} order: {@code from} gives the rows from a position on (inclusive; null:
     * from the first), lazily, so only the page and one row more are read (and, in the page style, the rows skipped).
     */
    <T> Page<T> apply(Function<RowKey, Stream<T>> from, long total, Function<T, RowKey> key) {
        Stream<T> rest = from.apply(after);
        if (after != null) {
            rest = rest.filter(row -> key.apply(row).compareTo(after) > 0);
        } else if (page > 1) {
            rest = rest.skip((page - 1) * size);
        }
        List<T> read = rest.limit(size + 1L).toList();
        List<T> rows = read.subList(0, Math.min(size, read.size()));
        String next = read.size() > size ? key.apply(rows.get(rows.size() - 1)).token() : "";
        return new Page<>(rows, (int) Math.min(total, Integer.MAX_VALUE), next);
    }

    /** The paging fields of a response; {@code PageNumber} only in the page style, where it means something. */
    void describe(Map<String, Object> body, Page<?> result) {
        body.put("TotalCount", result.total());
        if (page > 0) {
            body.put("PageNumber", page);
        }
        body.put("PageSize", size);
        body.put("NextToken", result.nextToken());
    }
}
