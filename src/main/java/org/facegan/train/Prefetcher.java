package org.facegan.train;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Assembles the next steps' batches on a background thread while TensorFlow runs the current one. Draws are pure
 * functions of the step, so prefetching changes nothing but the wait. Buffers are recycled: {@link #take} hands
 * one out, {@link #recycle} returns it once its contents are copied into tensors.
 */
final class Prefetcher implements AutoCloseable {
    /** Batches prepared ahead of the trainer. */
    static final int DEPTH = 2;

    private final BlockingQueue<StepDraws.Batch> ready = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<StepDraws.Batch> free = new ArrayBlockingQueue<>(DEPTH + 1);
    private final Thread worker;
    private volatile RuntimeException failure;
    private long waitedNanos;

    Prefetcher(StepDraws draws, long firstStep, long endStep) {
        for (int i = 0; i < DEPTH + 1; i++) free.add(draws.newBatch());
        worker = new Thread(() -> {
            try {
                for (long step = firstStep; step < endStep; step++) {
                    StepDraws.Batch b = free.take();
                    draws.fill(step, b);
                    ready.put(b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "facegan-prefetch");
        worker.setDaemon(true);
        worker.start();
    }

    /** The next step's batch; the time spent waiting for it counts as input wait. */
    StepDraws.Batch take() {
        long t0 = System.nanoTime();
        try {
            StepDraws.Batch b;
            while ((b = ready.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                if (failure != null) throw failure;
                if (!worker.isAlive()) throw new IllegalStateException("the input thread stopped");
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for input", e);
        } finally {
            waitedNanos += System.nanoTime() - t0;
        }
    }

    void recycle(StepDraws.Batch b) {
        free.add(b);
    }

    /** Nanoseconds spent in {@link #take} so far. */
    long waitedNanos() {
        return waitedNanos;
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
