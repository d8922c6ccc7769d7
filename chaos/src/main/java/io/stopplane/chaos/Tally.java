package io.stopplane.chaos;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the clients of one run saw: every request and how it was answered. Thread-safe. */
final class Tally {

    /** The only 5xx answers a client may get while a part is down. */
    static final Set<String> ALLOWED_5XX = Set.of("InternalError.Dispatch", "ServiceUnavailable");
    /** A server error must come at least this fast: the client is told, not left waiting. */
    static final long MAX_5XX_MILLIS = 10_000;

    private long sent;
    private long ok;
    private long noAnswer;
    private long hangs;
    private long max5xxMillis;
    private long maxStopMillis;
    private final Map<String, Long> clientErrors = new TreeMap<>();
    private final Map<String, Long> serverErrors = new TreeMap<>();
    private final Map<String, Long> noAnswers = new TreeMap<>();
    private final Map<String, Long> sentByAction = new TreeMap<>();

    synchronized void count(Rpc.Answer a) {
        sent++;
        sentByAction.merge(a.action(), 1L, Long::sum);
        switch (a.kind()) {
            case OK -> ok++;
            case CLIENT_ERROR -> clientErrors.merge(a.action() + " " + a.code(), 1L, Long::sum);
            case SERVER_ERROR -> {
                serverErrors.merge(a.code(), 1L, Long::sum);
                max5xxMillis = Math.max(max5xxMillis, a.millis());
            }
            case NO_ANSWER -> {
                noAnswer++;
                noAnswers.merge(a.code(), 1L, Long::sum);
            }
            case HANG -> hangs++;
            default -> throw new IllegalStateException();
        }
        if (a.action().equals("StopInvocation") && a.kind() != Rpc.Kind.NO_ANSWER) {
            maxStopMillis = Math.max(maxStopMillis, a.millis());
        }
    }

    synchronized Snapshot snapshot() {
        long clientTotal = clientErrors.values().stream().mapToLong(Long::longValue).sum();
        long serverTotal = serverErrors.values().stream().mapToLong(Long::longValue).sum();
        long badServer = serverErrors.entrySet().stream().filter(e -> !ALLOWED_5XX.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        return new Snapshot(sent, ok, clientTotal, serverTotal, badServer, noAnswer, hangs, max5xxMillis,
                maxStopMillis, Map.copyOf(clientErrors), Map.copyOf(serverErrors), Map.copyOf(noAnswers),
                Map.copyOf(sentByAction));
    }

    /**
     * @param badServerErrors 5xx answers other than InternalError.Dispatch and ServiceUnavailable
     * @param max5xxMillis the slowest 5xx answer
     * @param maxStopMillis the slowest answered StopInvocation
     */
    record Snapshot(long sent, long ok, long clientErrors, long serverErrors, long badServerErrors, long noAnswer,
            long hangs, long max5xxMillis, long maxStopMillis, Map<String, Long> clientErrorCodes,
            Map<String, Long> serverErrorCodes, Map<String, Long> noAnswerKinds, Map<String, Long> sentByAction) {
    }
}
