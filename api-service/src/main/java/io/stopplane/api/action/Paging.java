package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

    /** {@code sorted} must be in {@link RowKey} order. */
    <T> Page<T> apply(List<T> sorted, Function<T, RowKey> key) {
        List<T> rest = sorted;
        if (after != null) {
            rest = sorted.stream().filter(row -> key.apply(row).compareTo(after) > 0).toList();
        } else if (page > 1) {
            rest = sorted.stream().skip((page - 1) * size).toList();
        }
        List<T> rows = rest.stream().limit(size).toList();
        String next = rest.size() > size ? key.apply(rows.get(rows.size() - 1)).token() : "";
        return new Page<>(rows, sorted.size(), next);
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
