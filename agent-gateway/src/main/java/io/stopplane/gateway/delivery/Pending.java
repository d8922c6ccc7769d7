package io.stopplane.gateway.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Per instance, the commands still to be done, as read from {@code instance-commands}, and which invocations target it
 * (a {@code RunCommand} was read for the pair): what delivery and the report check need, nothing more. A pair's
 * commands are dropped once its status is final; the pair itself is still known as a target for a while after (so a
 * report repeated after a reconnect is written, not refused), then forgotten.
 *
 * <p>Each instance has at most one subscriber, the connection that proved it last: it gets everything pending when it
 * subscribes, in the order read (a stop after its run), and every command read after that. Of a scheduled invocation's
 * runs only the latest is kept: an agent back after a while is sent one run, not the backlog of the runs it missed.
 */
public class Pending {

    /** Where an instance's commands go: the connection that proved it. */
    public interface Subscriber {
        void push(List<InstanceCommand> commands);
    }

    private record Queued(long offset, InstanceCommand command) {
    }

    private static final class Pair {
        final List<Queued> commands = new ArrayList<>(2);
        boolean target;
        Instant lastIssued;
        Instant finalAt;
    }

    private static final class Box {
        final Map<InvokeId, Pair> pairs = new HashMap<>();
        Subscriber subscriber;
        /** Swept out of the map: whoever still holds it must take the map's current box. */
        boolean removed;
    }

    private final Map<InstanceId, Box> boxes = new ConcurrentHashMap<>();
    private final AtomicLong queued = new AtomicLong();

    public Pending(MeterRegistry meters) {
        Gauge.builder("stopplane.gateway.pending.commands", queued, AtomicLong::get)
                .description("commands read from instance-commands whose pair is not final yet").register(meters);
    }

    /**
     * A command read at {@code offset} (offsets order an instance's commands: one key, one partition).
     *
     * @return the subscriber to push it to, or null (none, or the pair is final already)
     */
    Subscriber add(long offset, InstanceCommand command) {
        return withBox(command.instanceId(), box -> {
            Pair pair = box.pairs.computeIfAbsent(command.invokeId(), id -> new Pair());
            if (command instanceof RunCommand) {
                pair.target = true;
            }
            pair.lastIssued = command.issuedAt();
            if (pair.finalAt != null) {
                return null;
            }
            if (command instanceof RunCommand run && run.run() != null) {
                // A schedule's later run: the earlier ones are over or given up, never to be delivered again.
                int before = pair.commands.size();
                pair.commands.removeIf(q -> q.command() instanceof RunCommand);
                queued.addAndGet(pair.commands.size() - before);
            }
            pair.commands.add(new Queued(offset, command));
            queued.incrementAndGet();
            return box.subscriber;
        });
    }

    /**
     * The pair's status is final: its commands will never be needed again.
     *
     * @param remember whether to remember a pair not seen yet (its commands may still be read after this)
     */
    public void markFinal(InvokeId invokeId, InstanceId instanceId, Instant at, boolean remember) {
        if (!remember && !boxes.containsKey(instanceId)) {
            return;
        }
        withBox(instanceId, box -> {
            Pair pair = remember ? box.pairs.computeIfAbsent(invokeId, id -> new Pair()) : box.pairs.get(invokeId);
            if (pair != null && pair.finalAt == null) {
                pair.finalAt = at;
                queued.addAndGet(-pair.commands.size());
                pair.commands.clear();
            }
            return null;
        });
    }

    /** Whether a RunCommand of this invocation for this instance has been read (and not forgotten). */
    public boolean targets(InvokeId invokeId, InstanceId instanceId) {
        Box box = boxes.get(instanceId);
        if (box == null) {
            return false;
        }
        synchronized (box) {
            Pair pair = box.pairs.get(invokeId);
            return pair != null && pair.target;
        }
    }

    /** Makes {@code subscriber} the instance's only one; returns what is pending for it now, in order. */
    public List<InstanceCommand> subscribe(InstanceId instanceId, Subscriber subscriber) {
        return withBox(instanceId, box -> {
            box.subscriber = subscriber;
            return box.pairs.values().stream().flatMap(p -> p.commands.stream())
                    .sorted(Comparator.comparingLong(Queued::offset)).map(Queued::command).toList();
        });
    }

    public void unsubscribe(InstanceId instanceId, Subscriber subscriber) {
        Box box = boxes.get(instanceId);
        if (box != null) {
            synchronized (box) {
                if (box.subscriber == subscriber) {
                    box.subscriber = null;
                }
            }
        }
    }

    /**
     * Forgets pairs final before {@code finalBefore}, and pairs never final whose last command was issued before
     * {@code staleBefore} (null: keep them): the commands of those are no longer re-read at a restart either.
     */
    void sweep(Instant finalBefore, Instant staleBefore) {
        for (Iterator<Map.Entry<InstanceId, Box>> it = boxes.entrySet().iterator(); it.hasNext(); ) {
            Box box = it.next().getValue();
            synchronized (box) {
                box.pairs.values().removeIf(p -> {
                    boolean forget = p.finalAt != null ? p.finalAt.isBefore(finalBefore)
                            : staleBefore != null && p.lastIssued != null && p.lastIssued.isBefore(staleBefore);
                    if (forget) {
                        queued.addAndGet(-p.commands.size());
                    }
                    return forget;
                });
                if (box.pairs.isEmpty() && box.subscriber == null) {
                    box.removed = true;
                    it.remove();
                }
            }
        }
    }

    private <T> T withBox(InstanceId instanceId, Function<Box, T> action) {
        while (true) {
            Box box = boxes.computeIfAbsent(instanceId, id -> new Box());
            synchronized (box) {
                if (!box.removed) {
                    return action.apply(box);
                }
            }
        }
    }
}
