package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.schedule.RepeatMode;

/**
 * RunCommand and InvokeCommand options the official SDKs send that this build does not implement yet (the reboot
 * modes among them; {@code Timed} is accepted and ignored, as Alibaba documents it "no longer used"). Each is refused
 * with a clear InvalidParameter when set to anything but its do-nothing value: silently ignoring them would run the
 * command at the wrong time, in the wrong place, or with the wrong text. Options that change nothing about what runs
 * (ResourceGroupId, Tag.N, ResourceTag.N, WindowsPasswordName, Owner*) are accepted and ignored; the README lists them.
 */
final class UnsupportedRunOptions {

    private UnsupportedRunOptions() {
    }

    static void check(RpcRequest request) {
        refuse(request, "ContainerId", "Running in a container is not supported by this build yet.");
        refuse(request, "ContainerName", "Running in a container is not supported by this build yet.");
        refuse(request, "Launcher", "A custom launcher is not supported by this build yet.");
    }

    /** The reboot modes: they need the agent to watch its boot id, which it does not yet. */
    static void checkRepeatMode(RepeatMode mode) {
        if (mode == RepeatMode.NEXT_REBOOT_ONLY || mode == RepeatMode.EVERY_REBOOT) {
            throw RpcRequest.invalid("RepeatMode", "Only Once, Period and DryRun are supported by this build; "
                    + mode.wireName() + " is not yet.");
        }
    }

    private static void refuse(RpcRequest request, String name, String why) {
        if (request.optional(name).isPresent()) {
            throw RpcRequest.invalid(name, why);
        }
    }
}
