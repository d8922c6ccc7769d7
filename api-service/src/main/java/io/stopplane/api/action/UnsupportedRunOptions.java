package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;

/**
 * RunCommand and InvokeCommand options the official SDKs send that this build does not implement yet ({@code Timed} is
 * accepted and ignored, as Alibaba documents it "no longer used"). Each is refused
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

    private static void refuse(RpcRequest request, String name, String why) {
        if (request.optional(name).isPresent()) {
            throw RpcRequest.invalid(name, why);
        }
    }
}
