package io.stopplane.agent.process;

import java.nio.charset.StandardCharsets;

/**
 * A command's merged stdout and stderr: the first 24 KB are kept (what Cloud Assistant returns as {@code Output}), the rest
 * is only counted as {@code Dropped}.
 */
final class BoundedOutput {

    static final int LIMIT = 24 * 1024;

    private final byte[] kept;
    private int size;
    private long dropped;

    BoundedOutput() {
        this(LIMIT);
    }

    BoundedOutput(int limit) {
        this.kept = new byte[limit];
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        int taken = Math.min(kept.length - size, length);
        System.arraycopy(bytes, offset, kept, size, taken);
        size += taken;
        dropped += length - taken;
    }

    synchronized Captured captured() {
        // When the cut fell inside a multi-byte character, that character counts as dropped rather than mangled.
        int end = dropped > 0 ? completeCharactersEnd() : size;
        return new Captured(new String(kept, 0, end, StandardCharsets.UTF_8), dropped + size - end);
    }

    /** Counts bytes that were read elsewhere and not kept. */
    synchronized void skipped(long bytes) {
        dropped += bytes;
    }

    private int completeCharactersEnd() {
        for (int i = size - 1; i >= Math.max(0, size - 4); i--) {
            int b = kept[i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return i + length <= size ? size : i;
            }
        }
        return size;
    }

    record Captured(String text, long dropped) {
    }
}
