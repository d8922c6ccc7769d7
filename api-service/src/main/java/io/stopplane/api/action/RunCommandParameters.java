package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.schedule.Frequency;
import io.stopplane.model.schedule.FrequencyLimits;
import io.stopplane.model.schedule.InvalidFrequencyException;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an invocation runs, and where, read and checked: RunCommand's parameters, or InvokeCommand's with the library
 * command it names. Every malformed or unsupported value is refused here, naming the parameter, before anything else
 * is looked at. What this build cannot do yet is refused rather than ignored whenever ignoring it would run something
 * other than what the caller asked for (see {@link UnsupportedRunOptions}).
 *
 * @param parameters the custom parameters' values when the command takes parameters ({@code EnableParameter}), else
 *     null: the content then runs as it is, placeholders included
 * @param keepCommand RunCommand's {@code KeepCommand}: the command is saved to the library too
 * @param mode the {@code RepeatMode} as Alibaba resolves it (a {@code Frequency} makes it Period)
 * @param schedule for Period, the accepted {@code Frequency}; null otherwise
 */
record RunCommandParameters(
        RegionId regionId,
        String type,
        String content,
        List<InstanceId> instances,
        int timeoutSeconds,
        String name,
        String description,
        String username,
        String workingDir,
        String terminationMode,
        String clientToken,
        String digest,
        Map<String, String> parameters,
        boolean keepCommand,
        RepeatMode mode,
        Schedule schedule) {

    static final int MAX_CLIENT_TOKEN = 64;
    private static final Set<String> TERMINATION_MODES = Set.of("Process", CommandSpec.PROCESS_TREE);

    /** What RunCommand and InvokeCommand read alike: where, as whom, how it is stopped, the values, the token. */
    record Options(RegionId regionId, List<InstanceId> instances, Optional<Integer> timeoutSeconds, String username,
            String terminationMode, String clientToken, String digest, Map<String, String> values, RepeatMode mode,
            Optional<String> frequency, FrequencyLimits limits) {

        /**
         * @param region the request's, parsed first of all
         * @param limits what a Frequency is checked against
         */
        static Options read(RpcRequest request, RegionId region, FrequencyLimits limits) {
            List<InstanceId> instances = InstanceIds.read(request);
            if (instances.isEmpty()) {
                throw new ApiException(ApiError.MISSING_PARAMETER, "InstanceId.1");
            }
            Optional<Integer> timeout = request.optional("Timeout").isPresent()
                    ? Optional.of(request.intParam("Timeout", CommandSpec.DEFAULT_TIMEOUT_SECONDS, 1, 86400))
                    : Optional.empty();
            String terminationMode = request.optional("TerminationMode").orElse(CommandSpec.PROCESS_TREE);
            if (!TERMINATION_MODES.contains(terminationMode)) {
                throw RpcRequest.invalid("TerminationMode", "It must be Process or ProcessTree.");
            }
            UnsupportedRunOptions.check(request);
            Optional<String> frequency = request.optional("Frequency");
            RepeatMode mode;
            try {
                mode = RepeatMode.resolve(request.optional("RepeatMode"), frequency.isPresent());
            } catch (InvalidFrequencyException e) {
                throw refused(e);
            }
            return new Options(region, instances, timeout, request.optional("Username").orElse(null),
                    terminationMode, RunCommandParameters.clientToken(request), ParametersDigest.of(request),
                    ParameterValues.read(request), mode, frequency, limits);
        }

        /**
         * The schedule of a Period invocation whose command times out after {@code timeoutSeconds}, its Frequency
         * checked against Alibaba's limits (a DryRun's is checked too, and nothing kept); of NextRebootOnly or
         * EveryReboot (no Frequency: with one, the mode is Period); null for Once.
         */
        Schedule schedule(int timeoutSeconds) {
            if (frequency.isEmpty()) {
                return mode.onReboot() ? Schedule.onReboot(mode) : null;
            }
            Schedule period = period(frequency.get(), timeoutSeconds, limits);
            return mode == RepeatMode.PERIOD ? period : null;
        }

        private static ApiException refused(InvalidFrequencyException e) {
            return new ApiException(e.error(), e.parameter(), e.getMessage());
        }
    }

    /**
     * The Period schedule of {@code frequency} for a command that times out after {@code timeoutSeconds}, checked
     * against Alibaba's limits ({@code limits}); refused with Alibaba's error where it documents one. RunCommand,
     * InvokeCommand and ModifyInvocationAttribute read a Frequency with it alike.
     */
    static Schedule period(String frequency, int timeoutSeconds, FrequencyLimits limits) {
        try {
            return Schedule.of(Frequency.parse(frequency, Duration.ofSeconds(timeoutSeconds), limits, Instant.now()),
                    limits);
        } catch (InvalidFrequencyException e) {
            throw Options.refused(e);
        }
    }

    /** RunCommand's: the command is in the request. */
    static RunCommandParameters read(RpcRequest request, Regions regions, FrequencyLimits limits) {
        RegionId region = regions.parse(request);
        String type = CommandContents.type(request);
        String content = CommandContents.read(request, "PlainText");
        boolean enableParameter = request.boolParam("EnableParameter", false);
        List<String> names = enableParameter ? ParameterValues.names(content) : List.of();
        Options o = Options.read(request, region, limits);
        int timeout = o.timeoutSeconds().orElse(CommandSpec.DEFAULT_TIMEOUT_SECONDS);
        return new RunCommandParameters(o.regionId(), type, content, o.instances(), timeout,
                request.optional("Name").orElse(null), request.optional("Description").orElse(null),
                o.username(), request.optional("WorkingDir").orElse(null), o.terminationMode(), o.clientToken(),
                o.digest(), ParameterValues.forCommand(enableParameter, names, o.values()),
                request.boolParam("KeepCommand", false), o.mode(), o.schedule(timeout));
    }

    /** InvokeCommand's: the library's command, with the request's options (its Timeout, if any, wins). */
    static RunCommandParameters invoke(Options o, LibraryCommand c) {
        int timeout = o.timeoutSeconds().orElse(c.timeoutSeconds());
        return new RunCommandParameters(o.regionId(), c.type(), c.content(), o.instances(), timeout, c.name(),
                c.description(), o.username(), c.workingDir(), o.terminationMode(), o.clientToken(), o.digest(),
                ParameterValues.forCommand(c.enableParameter(), c.parameterNames(), o.values()), false, o.mode(),
                o.schedule(timeout));
    }

    /** @param deliveryTimeout how long its runs may wait to be started (see {@link CommandSpec}) */
    CommandSpec spec(CommandId commandId, Duration deliveryTimeout) {
        return new CommandSpec(commandId, name, description, type, content, timeoutSeconds, username, workingDir,
                terminationMode, Math.toIntExact(Math.max(1, deliveryTimeout.toSeconds())));
    }

    private static String clientToken(RpcRequest request) {
        Optional<String> token = request.optional("ClientToken");
        if (token.isPresent() && (token.get().length() > MAX_CLIENT_TOKEN
                || !token.get().chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw RpcRequest.invalid("ClientToken", "It must be at most 64 printable ASCII characters.");
        }
        return token.orElse(null);
    }
}
