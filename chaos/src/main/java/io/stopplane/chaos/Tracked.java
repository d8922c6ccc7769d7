package io.stopplane.chaos;

import java.nio.file.Path;
import java.util.List;

/**
 * One invocation the load asked for, by its ClientToken: a retry with the same token can never create a second
 * invocation, so a request whose outcome is unknown (5xx, no answer) is simply sent again.
 * <ul>
 * <li>{@link Kind#SHORT}: {@code sleep 1.<marker>}, left alone: must end {@code Success} on every target;</li>
 * <li>{@link Kind#LONG}: {@code sleep 300.<marker>}, always stopped: must end {@code Stopped}, every target
 *     {@code Terminated} or {@code Cancelled}. Half of them trap SIGTERM and take a second to exit, which keeps a stop
 *     in flight longer.</li>
 * </ul>
 * Each command first appends {@code <token> <invoke id> <instance id>} to the run's marker file: two lines for the same
 * token and instance mean it ran twice.
 */
final class Tracked {

    enum Kind { SHORT, LONG }

    final String token;
    final Kind kind;
    final List<String> instances;
    /** Stopped by the fault itself at a chosen moment, not by the load. */
    final boolean held;
    final String sleepMarker;

    volatile String invokeId;
    volatile boolean runAccepted;
    /** The run was answered with a 4xx (e.g. a parameter refused): never created. */
    volatile String runRejected;
    volatile boolean runGaveUp;
    volatile boolean stopWanted;
    volatile boolean stopAccepted;
    volatile boolean stopGaveUp;

    Tracked(String token, Kind kind, List<String> instances, boolean held, String sleepMarker) {
        this.token = token;
        this.kind = kind;
        this.instances = List.copyOf(instances);
        this.held = held;
        this.sleepMarker = sleepMarker;
    }

    /** The command's script: the marker line first, then the sleep that carries the run's unique marker. */
    String script(Path ranFile, boolean trapTerm) {
        // the command's parent is the agent's wrapper, whose arguments name the task directory …/journal/<instance>/<t-…>;
        // the working directory is …/instances/<instance id>
        String mark = "p=$(tr '\\0' '\\n' </proc/$PPID/cmdline 2>/dev/null | grep -m1 /journal/); "
                + "echo \"" + token + " ${p##*/} ${PWD##*/}\" >> '" + ranFile + "'; ";
        String seconds = (kind == Kind.SHORT ? "1." : "300.") + sleepMarker;
        if (kind == Kind.LONG && trapTerm) {
            return "trap 'sleep 1; exit 143' TERM; " + mark + "sleep " + seconds + " & wait $!";
        }
        return mark + "sleep " + seconds;
    }
}
