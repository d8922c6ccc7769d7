package io.stopplane.agent.process;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Makes ending the running commands the first thing the agent's shutdown does. Everything else that stops (the intake,
 * the heartbeat, the web server, the producers) may wait on a broker that is gone, and whoever sent the SIGTERM may
 * not wait as long: the commands must be dead by then. The wait for their reports stays in
 * {@link ProcessSupervisor#destroy()}.
 */
@Component
public class ShutdownFirst implements SmartLifecycle {

    /** Stopped before every other phase; the agent's other lifecycles stop in {@link #LATER}. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE;
    public static final int LATER = PHASE - 1;

    private final ProcessSupervisor supervisor;
    private volatile boolean running;

    ShutdownFirst(ProcessSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public void start() {
        supervisor.resume();
        running = true;
    }

    @Override
    public void stop() {
        supervisor.beginShutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** A pause (of a cached test context, say) must not kill the running commands: only a stop does. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
