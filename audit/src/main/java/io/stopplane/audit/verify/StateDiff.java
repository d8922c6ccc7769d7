package io.stopplane.audit.verify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The fields in which two states differ, as JSON paths: {@code instances[i-1].status: expected "Terminated", found
 * "Running"}. Elements of arrays of targets are named by their instance id.
 */
final class StateDiff {

    static final int MAX = 10;

    private StateDiff() {
    }

    static List<String> between(JsonNode expected, JsonNode found) {
        List<String> out = new ArrayList<>();
        walk("", expected, found, out);
        return out;
    }

    private static void walk(String path, JsonNode expected, JsonNode found, List<String> out) {
        if (out.size() >= MAX || expected.equals(found)) {
            return;
        }
        if (expected.isObject() && found.isObject()) {
            Set<String> names = new LinkedHashSet<>(expected.propertyNames());
            names.addAll(found.propertyNames());
            for (String name : names) {
                walk(path.isEmpty() ? name : path + "." + name, orMissing(expected.get(name)),
                        orMissing(found.get(name)), out);
            }
        } else if (expected.isArray() && found.isArray()) {
            int n = Math.max(expected.size(), found.size());
            for (int i = 0; i < n; i++) {
                JsonNode e = orMissing(expected.get(i));
                JsonNode f = orMissing(found.get(i));
                walk(path + "[" + label(e, f, i) + "]", e, f, out);
            }
        } else {
            out.add(path + ": expected " + text(expected) + ", found " + text(found));
        }
    }

    private static String label(JsonNode e, JsonNode f, int index) {
        JsonNode id = e.isObject() && e.has("instanceId") ? e.get("instanceId")
                : f.isObject() && f.has("instanceId") ? f.get("instanceId") : null;
        return id == null ? String.valueOf(index) : id.asString();
    }

    private static JsonNode orMissing(JsonNode n) {
        return n == null ? MissingNode.getInstance() : n;
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() ? "(absent)" : n.toString();
    }
}
