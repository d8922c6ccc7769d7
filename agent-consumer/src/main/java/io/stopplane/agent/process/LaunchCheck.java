package io.stopplane.agent.process;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides, before anything starts, as whom and where a command runs, or why it cannot run on this instance. An agent
 * running as root runs a command as its {@code Username} (default root); any other agent can only run commands as
 * itself.
 */
final class LaunchCheck {

    private final AgentProperties props;
    private final String agentUser;
    private final boolean agentIsRoot;
    private final Accounts accounts;

    LaunchCheck(AgentProperties props, String agentUser, boolean agentIsRoot, Accounts accounts) {
        this.props = props;
        this.agentUser = agentUser;
        this.agentIsRoot = agentIsRoot;
        this.accounts = accounts;
    }

    Plan plan(RunCommand run) {
        CommandSpec spec = run.command();
        if (!CommandSpec.RUN_SHELL_SCRIPT.equals(spec.type())) {
            return Plan.reject(TaskOutcome.rejected(InstanceStatus.INVALID, null,
                    "the command type " + spec.type() + " is not supported on this instance"));
        }
        List<String> runAs = List.of();
        Optional<Path> home = Optional.empty();
        if (isSet(spec.username()) && !spec.username().equals(agentUser)) {
            Optional<Accounts.Account> account = agentIsRoot ? accounts.find(spec.username()) : Optional.empty();
            if (account.isEmpty()) {
                return Plan.reject(error(InstanceErrorCode.ACCOUNT_NOT_EXISTS));
            }
            if (account.get().uid() != 0) {
                runAs = account.get().switchTo();
            }
            home = Optional.of(account.get().home()).filter(Files::isDirectory);
        }
        if (isSet(spec.workingDir())) {
            return existingDirectory(spec.workingDir(), runAs);
        }
        // Another user's commands start in that user's home, as on a login, rather than in the agent's own area.
        if (home.isPresent()) {
            return Plan.run(home.get(), runAs);
        }
        Path area = props.instanceDir(run.instanceId());
        try {
            Files.createDirectories(area);
            return Plan.run(area, runAs);
        } catch (IOException e) {
            return Plan.reject(TaskOutcome.rejected(InstanceStatus.ERROR, InstanceErrorCode.EXECUTION_EXCEPTION,
                    "cannot create the working area " + area + ": " + e.getMessage()));
        }
    }

    // Relative directories are refused: they would resolve against wherever the agent happened to be started.
    private static Plan existingDirectory(String dir, List<String> runAs) {
        try {
            Path path = Path.of(dir);
            if (path.isAbsolute() && Files.isDirectory(path)) {
                return Plan.run(path, runAs);
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

    /** Either where and as whom to run, or the report to make instead of running. */
    record Plan(Path workingDir, List<String> runAs, TaskOutcome rejection) {

        static Plan run(Path workingDir, List<String> runAs) {
            return new Plan(workingDir, runAs, null);
        }

        static Plan reject(TaskOutcome rejection) {
            return new Plan(null, List.of(), rejection);
        }

        boolean rejected() {
            return rejection != null;
        }
    }
}
