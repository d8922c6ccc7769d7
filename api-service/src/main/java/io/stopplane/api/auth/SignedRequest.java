package io.stopplane.api.auth;

import java.util.Map;

/**
 * What the signature checks need of an HTTP request.
 *
 * @param params query and form parameters merged, decoded (V1 signs them all)
 * @param query the query parameters alone, decoded (V3 signs the query)
 * @param headers header names lower-case
 * @param body the raw body, de-chunked
 */
public record SignedRequest(String method, String path, Map<String, String> params, Map<String, String> query,
        Map<String, String> headers, byte[] body) {
}
