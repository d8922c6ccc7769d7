package io.stopplane.agent.task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A disk that a power cut can hit: what was written to a file but not flushed (fdatasync) when {@link #cut()} comes
 * is lost, as the page cache is. A file is durable up to its size when it is opened (the journal opens a file it has
 * just flushed and renamed, or one it read at start-up) and, after each flush that returns, up to its size when that
 * flush began. After the cut every write and flush fails, as on a machine that is off.
 */
final class LossyDisk implements JournalFile.Opener {

    // The last channel opened on each path: the journal closes the one before when it opens the next.
    private final Map<Path, Lossy> opened = new HashMap<>();
    private boolean cut;
    private boolean failNextFlush;

    @Override
    public synchronized FileChannel open(Path path, OpenOption... options) throws IOException {
        if (cut) {
            throw new IOException("power cut");
        }
        Lossy channel = new Lossy(path, FileChannel.open(path, options));
        opened.put(path, channel);
        return channel;
    }

    /** The power cut: every file opened loses what was not flushed. */
    void cut() throws IOException {
        List<Lossy> files;
        synchronized (this) {
            cut = true;
            files = List.copyOf(opened.values());
        }
        for (Lossy file : files) {
            file.lose();
        }
    }

    /** The next flush fails (EIO), as a disk's write error reports it; the ones after it work. */
    synchronized void failNextFlush() {
        failNextFlush = true;
    }

    private synchronized boolean isCut() {
        return cut;
    }

    private synchronized boolean flushFails() {
        boolean fails = failNextFlush;
        failNextFlush = false;
        return fails;
    }

    private final class Lossy extends FileChannel {

        private final Path path;
        private final FileChannel disk;
        private long durable;

        Lossy(Path path, FileChannel disk) throws IOException {
            this.path = path;
            this.disk = disk;
            this.durable = disk.size();
        }

        void lose() throws IOException {
            long keep;
            synchronized (this) {
                keep = durable;
            }
            try (FileChannel f = FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
                if (f.size() > keep) {
                    f.truncate(keep);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // renamed away or never there
            }
        }

        private void alive() throws IOException {
            if (isCut()) {
                throw new IOException("power cut");
            }
        }

        @Override
        public void force(boolean metaData) throws IOException {
            alive();
            if (flushFails()) {
                throw new IOException("Input/output error");
            }
            long size = disk.size();
            disk.force(metaData);
            synchronized (this) {
                alive(); // a flush that the cut interrupted counts for nothing
                durable = Math.max(durable, size);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            alive();
            return disk.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            alive();
            return disk.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            alive();
            return disk.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return disk.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return disk.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return disk.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return disk.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            disk.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return disk.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            alive();
            disk.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            throw new UnsupportedOperationException("not used by the journal");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("not used by the journal");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("not used by the journal");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            throw new UnsupportedOperationException("not used by the journal");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            throw new UnsupportedOperationException("not used by the journal");
        }

        @Override
        protected void implCloseChannel() throws IOException {
            disk.close();
        }
    }
}
