package io.stopplane.agent.process;

/**
 * How this agent ends a command's processes, as its start-up log, its {@code /actuator/health} ({@code processes}) and
 * the {@code stopplane.agent.kill.method} gauge say.
 */
public enum KillMethod {
    /** Each command in a cgroup v2 of its own: every process it ever started dies, wherever it went. */
    CGROUP("cgroup"),
    /**
     * Where cgroup v2 cannot be written (no mount, not root, no delegation): the command's process group and the
     * descendants found under its shell. A process that both left the group and was orphaned cannot be found.
     */
    PROCESS_GROUP("process-group");

    private final String wireName;

    KillMethod(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
