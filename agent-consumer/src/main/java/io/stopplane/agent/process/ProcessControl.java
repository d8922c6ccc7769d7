package io.stopplane.agent.process;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this agent ends commands, decided once at start-up: by cgroup v2 where the agent can create, join and kill
 * cgroups under its own, by process group otherwise ({@code stopplane.agent.kill-method}: {@code auto}, the default,
 * or {@code cgroup} / {@code process-group} to insist). A bean, so that whatever tells the world about the agent (its
 * health, its metrics, a heartbeat) can say which.
 */
public final class ProcessControl {

    private static final Logger log = LoggerFactory.getLogger(ProcessControl.class);

    private final CgroupTree cgroups;

    ProcessControl(CgroupTree cgroups) {
        this.cgroups = cgroups;
    }

    /** @param requested {@code auto}, {@code cgroup} or {@code process-group} */
    public static ProcessControl of(String requested) {
        String mode = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        ProcessControl control;
        switch (mode) {
            case "process-group" -> control = new ProcessControl(null);
            case "auto", "cgroup" -> {
                Optional<CgroupTree> tree = CgroupTree.detect();
                if (tree.isEmpty() && mode.equals("cgroup")) {
                    throw new IllegalStateException("stopplane.agent.kill-method=cgroup, but cgroup v2 cannot be"
                            + " used here (see the log line above)");
                }
                control = new ProcessControl(tree.orElse(null));
            }
            default -> throw new IllegalArgumentException("stopplane.agent.kill-method must be auto, cgroup or"
                    + " process-group, not " + requested);
        }
        if (control.cgroups != null) {
            log.info("Kill method: cgroup (each command in a cgroup v2 of its own under {})",
                    control.cgroups.agentCgroup());
        } else {
            log.info("Kill method: process-group (cgroup v2 not used; a process that leaves the command's group and"
                    + " is orphaned is not found)");
        }
        return control;
    }

    public KillMethod killMethod() {
        return cgroups == null ? KillMethod.PROCESS_GROUP : KillMethod.CGROUP;
    }

    /** Where the commands' cgroups are made, if the agent kills by cgroup. */
    public Optional<String> cgroupParent() {
        return cgroups().map(c -> c.agentCgroup().toString());
    }

    Optional<CgroupTree> cgroups() {
        return Optional.ofNullable(cgroups);
    }
}
