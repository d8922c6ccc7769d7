package io.stopplane.agent.process;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.report.TaskOutcome;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Decides, before anything starts, where a command runs or why it cannot run on this instance. */
final class LaunchCheck {

    private final AgentProperties props;
    private final String agentUser;

    LaunchCheck(AgentProperties props, String agentUser) {
        this.props = props;
        this.agentUser = agentUser;
    }

    Plan plan(RunCommand run) {
        CommandSpec spec = run.command();
        if (!CommandSpec.RUN_SHELL_SCRIPT.equals(spec.type())) {
            return Plan.reject(TaskOutcome.rejected(InstanceStatus.INVALID, null,
                    "the command type " + spec.type() + " is not supported on this instance"));
        }
        // Running as another account needs su and privileges; until then only the agent's own account exists here.
        if (isSet(spec.username()) && !spec.username().equals(agentUser)) {
            return Plan.reject(error(InstanceErrorCode.ACCOUNT_NOT_EXISTS));
        }
        if (isSet(spec.workingDir())) {
            return existingDirectory(spec.workingDir());
        }
        Path area = props.instanceDir(run.instanceId());
        try {
            Files.createDirectories(area);
            return Plan.run(area);
        } catch (IOException e) {
            return Plan.reject(TaskOutcome.rejected(InstanceStatus.ERROR, InstanceErrorCode.EXECUTION_EXCEPTION,
                    "cannot create the working area " + area + ": " + e.getMessage()));
        }
    }

    // Relative directories are refused: they would resolve against wherever the agent happened to be started.
    private static Plan existingDirectory(String dir) {
        try {
            Path path = Path.of(dir);
            if (path.isAbsolute() && Files.isDirectory(path)) {
                return Plan.run(path);
            }
        } catch (InvalidPathException e) {
            // not a directory that can exist
        }
        return Plan.reject(error(InstanceErrorCode.DIRECTORY_NOT_EXISTS));
    }

    private static TaskOutcome error(InstanceErrorCode code) {
        return TaskOutcome.rejected(InstanceStatus.ERROR, code, null);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** Either the directory to run in or the report to make instead of running. */
    record Plan(Path workingDir, TaskOutcome rejection) {

        static Plan run(Path workingDir) {
            return new Plan(workingDir, null);
        }

        static Plan reject(TaskOutcome rejection) {
            return new Plan(null, rejection);
        }

        boolean rejected() {
            return rejection != null;
        }
    }
}
