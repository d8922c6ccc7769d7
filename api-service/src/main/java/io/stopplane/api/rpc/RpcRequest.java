package io.stopplane.api.rpc;

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
 */
public record RpcRequest(String action, Map<String, String> params, String requestId, String sourceIp) {

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

    /** A flattened list {@code Name.1, Name.2, …} in index order, duplicates counted once. */
    public List<String> list(String name) {
        Pattern p = Pattern.compile(Pattern.quote(name) + "\\.(\\d+)");
        List<Map.Entry<Integer, String>> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            Matcher m = p.matcher(e.getKey());
            if (m.matches() && e.getValue() != null && !e.getValue().isEmpty()) {
                int index;
                try {
                    index = Integer.parseInt(m.group(1));
                } catch (NumberFormatException ex) {
                    throw invalid(e.getKey(), "The index is out of range.");
                }
                entries.add(Map.entry(index, e.getValue()));
            }
        }
        entries.sort(Map.Entry.comparingByKey());
        LinkedHashSet<String> values = new LinkedHashSet<>();
        entries.forEach(e -> values.add(e.getValue()));
        return List.copyOf(values);
    }

    public static ApiException invalid(String name, String why) {
        return new ApiException(ApiError.INVALID_PARAMETER, name, why);
    }
}
