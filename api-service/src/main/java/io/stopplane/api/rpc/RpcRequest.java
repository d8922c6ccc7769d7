package io.stopplane.api.rpc;

import io.stopplane.api.auth.Principal;
import io.stopplane.model.error.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One RPC call: its action, its merged query and form parameters, and who sent it. Accessors validate and throw the
 * gateway errors (MissingParameter, InvalidParameter) naming the parameter.
 *
 * @param host the {@code Host} the client addressed, null when it sent none
 * @param accessKeyId the access key the client says it signs with (V1 {@code AccessKeyId}, V3 {@code Credential=}),
 *     unverified; null when it names none
 * @param principal the verified caller in signature mode; null in the local no-auth mode
 */
public record RpcRequest(String action, Map<String, String> params, String requestId, String sourceIp, String host,
        String accessKeyId, String userAgent, Principal principal) {

    public RpcRequest(String action, Map<String, String> params, String requestId, String sourceIp, String host,
            String accessKeyId) {
        this(action, params, requestId, sourceIp, host, accessKeyId, null, null);
    }

    /** The highest {@code Name.N} index read; far above any list limit, so an index alone never decides a limit. */
    static final int MAX_LIST_INDEX = 1000;

    public String required(String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new ApiException(ApiError.MISSING_PARAMETER, name);
        }
        return value;
    }

    public Optional<String> optional(String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public int intParam(String name, int defaultValue, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get().trim());
            if (value < min || value > max) {
                throw invalid(name, "It must be between " + min + " and " + max + ".");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, "It must be an integer.");
        }
    }

    public boolean boolParam(String name, boolean defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (raw.get().equalsIgnoreCase("true") || raw.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw.get());
        }
        throw invalid(name, "It must be true or false.");
    }

    /**
     * A flattened list {@code Name.1, Name.2, …} in index order, duplicates counted once. Gaps in the numbering are
     * allowed; an empty value or an index outside 1..{@value #MAX_LIST_INDEX} is refused naming the parameter, because
     * dropping it silently could widen what the call acts on (StopInvocation without instances stops all of them).
     */
    public List<String> list(String name) {
        Pattern p = Pattern.compile(Pattern.quote(name) + "\\.([0-9]+)");
        List<Map.Entry<Integer, String>> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            Matcher m = p.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            int index = index(e.getKey(), m.group(1));
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw invalid(e.getKey(), "It must not be empty.");
            }
            entries.add(Map.entry(index, e.getValue()));
        }
        entries.sort(Map.Entry.comparingByKey());
        LinkedHashSet<String> values = new LinkedHashSet<>();
        entries.forEach(e -> values.add(e.getValue()));
        return List.copyOf(values);
    }

    private static int index(String parameter, String digits) {
        int index;
        try {
            index = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 1 || index > MAX_LIST_INDEX) {
            throw invalid(parameter, "The index must be between 1 and " + MAX_LIST_INDEX + ".");
        }
        return index;
    }

    public static ApiException invalid(String name, String why) {
        return new ApiException(ApiError.INVALID_PARAMETER, name, why);
    }
}
