package io.stopplane.api.view;

import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.util.HashSet;
import java.util.Set;

/**
 * What an invocation is filed under within its account and region, one index per filter value the Describe actions
 * take: its overall status (by the current and the legacy name), its command, each of its instances, each instance's
 * record status, and each instance still running. Status names are matched the way {@link String#equalsIgnoreCase}
 * matches them, so an index finds exactly what the filter accepted when it was a scan.
 */
public final class IndexKeys {

    /** Every invocation of the account in the region. */
    public static final String ALL = "";

    private IndexKeys() {
    }

    /** {@code InvokeStatus}: the overall status, by its name or its legacy name. */
    public static String status(String name) {
        return "s:" + fold(name);
    }

    public static String command(String commandId) {
        return "c:" + commandId;
    }

    public static String instance(String instanceId) {
        return "i:" + instanceId;
    }

    /** {@code InvokeRecordStatus}: one instance's status, by its record name or its name. */
    public static String record(String name) {
        return "r:" + fold(name);
    }

    /** The invocations in which this instance has not finished. */
    public static String active(String instanceId) {
        return "a:" + instanceId;
    }

    static Set<String> of(InvocationState s) {
        Set<String> keys = new HashSet<>();
        keys.add(ALL);
        keys.add(status(s.invocationStatus().wireName()));
        keys.add(status(s.invocationStatus().legacyInvokeStatus()));
        if (s.command() != null) {
            keys.add(command(s.command().commandId().value()));
        }
        for (InstanceState i : s.instances()) {
            keys.add(instance(i.instanceId().value()));
            keys.add(record(i.status().invokeRecordStatus()));
            keys.add(record(i.status().wireName()));
            if (!i.status().isTerminal()) {
                keys.add(active(i.instanceId().value()));
            }
        }
        return keys;
    }

    /** Two strings fold to the same text exactly when they are equal ignoring case (as equalsIgnoreCase compares). */
    private static String fold(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toLowerCase(Character.toUpperCase(chars[i]));
        }
        return new String(chars);
    }
}
