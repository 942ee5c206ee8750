package org.facegan.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One trainer per run directory: an operating-system lock on {@code RUN/.lock}, which also records the holder's
 * PID for the error message. The OS drops the lock when its process dies, however it dies, so a lock file left by
 * a killed run is simply taken over.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws IllegalArgumentException naming the run and the PID of the process that holds it
     */
    public static RunLock acquire(Path runDir) {
        Path file = runDir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(runDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new IllegalArgumentException("run directory " + runDir + " is in use by facegan process "
                        + holder + " (wait for it to finish, or use another --run)");
            }
            byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalArgumentException("cannot lock run directory " + runDir + ": " + e.getMessage(), e);
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        int n = channel.read(buffer, 0);
        String pid = n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.US_ASCII).strip() : "";
        return pid.isEmpty() ? "(unknown PID)" : pid;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the original error is the one to report
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS releases the lock with the channel or the process anyway
        }
    }
}
