package org.facegan.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Merges concurrent predict requests into batches, as TF Serving's SharedBatchScheduler does for
 * {@code --enable_batching} (tensorflow/core/kernels/batching_util/shared_batch_scheduler.h): one queue per
 * (model, version, signature, inputs' row shapes), all served by {@code num_batch_threads} threads.
 *
 * <p>A queue holds batches; the last one is open and takes new requests while its rows stay within
 * {@code max_batch_size}. A request that does not fit closes it and opens another, unless the queue already holds
 * {@code max_enqueued_batches}: then it is refused with TF Serving's UNAVAILABLE message (503). While fewer than
 * {@code num_batch_threads} batches run, a free thread takes the oldest closed batch, or the open one once it is full
 * or {@code batch_timeout_micros} have passed since its first request (at once with the default 0: batches then grow
 * only while every slot is busy). The batch's inputs are concatenated along dimension 0, run once, and each output
 * sliced back to its request. One difference from TF Serving: a request whose batch may run at once, with a slot free
 * and nothing older waiting (a lone request, with timeout 0), runs it on its own thread instead of handing it to a
 * batch thread and waiting to be woken, so that batching adds no thread hand-offs to a lone client's latency.
 *
 * <p>Each request hands its version handle to the scheduler, which releases it only after the batch ran, so a version
 * retired meanwhile is closed after the batches on it ({@link RefCounted}). If a merged run fails, each of its requests
 * is run again alone, so that one request's input never fails the others.
 */
final class BatchScheduler implements AutoCloseable {
    static final String QUEUE_FULL = "The batch scheduling queue to which this task was submitted is full";

    /** What a batch runs: version, signature and merged inputs in, the outputs out. */
    interface Runner {
        Map<String, Values> run(ServedVersion version, String signature, Map<String, Values> inputs);
    }

    /** Counts for one model since the server started. */
    record Stats(long batches, long requests, long rows, long queuedRequests) {
        double meanBatchSize() {
            return batches == 0 ? 0 : (double) rows / batches;
        }
    }

    private record Key(String model, ServedVersion version, String signature, String rowShapes) {}

    private static final class Task {
        final RefCounted.Handle<ServedVersion> handle;
        final Predict.Parsed request;
        final CompletableFuture<Map<String, Values>> answer = new CompletableFuture<>();

        Task(RefCounted.Handle<ServedVersion> handle, Predict.Parsed request) {
            this.handle = handle;
            this.request = request;
        }
    }

    private static final class Batch {
        final List<Task> tasks = new ArrayList<>();
        int rows;
    }

    private static final class Queue {
        final Key key;
        /** Never empty: the last batch is the open one. */
        final Deque<Batch> batches = new ArrayDeque<>(List.of(new Batch()));
        long openSince;

        Queue(Key key) {
            this.key = key;
        }

        boolean isEmpty() {
            return batches.size() == 1 && batches.getLast().tasks.isEmpty();
        }
    }

    private final BatchingParameters parameters;
    private final Runner runner;
    private final Consumer<String> log;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    // Guarded by lock: the queues holding requests (removed once empty, in the order threads visit them), the
    // counters, the batches running (at most num_batch_threads: the slots) and whether close() was called.
    private final Map<Key, Queue> queues = new LinkedHashMap<>();
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private int running;
    private boolean closed;
    private final List<Thread> threads = new ArrayList<>();

    BatchScheduler(BatchingParameters parameters, Runner runner, Consumer<String> log) {
        this.parameters = parameters;
        this.runner = runner;
        this.log = log;
        this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(parameters.batchTimeoutMicros());
        for (int i = 0; i < parameters.numBatchThreads(); i++) {
            Thread t = new Thread(this::work, "facegan-batch-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    BatchingParameters parameters() {
        return parameters;
    }

    /**
     * Queues {@code request}, to be run on {@code handle}'s version; the scheduler owns the handle from here on and
     * releases it once the answer is computed (at once if it refuses the request).
     *
     * @return the outputs of this request's rows
     * @throws ServeException 400 for a request of more than max_batch_size rows, 503 when the queue is full
     */
    CompletableFuture<Map<String, Values>> schedule(String model, RefCounted.Handle<ServedVersion> handle, Predict.Parsed request) {
        int size = request.size();
        Task task = new Task(handle, request);
        ServeException refused = null;
        Key key = null;
        Batch runHere = null;
        lock.lock();
        try {
            if (size > parameters.maxBatchSize()) {
                refused = ServeException.badRequest("Task size " + size + " is larger than maximum batch size " + parameters.maxBatchSize());
            } else if (closed) {
                refused = new ServeException(503, "the server is stopping");
            } else {
                key = new Key(model, handle.get(), request.signature(), request.rowShapes());
                Queue queue = queues.computeIfAbsent(key, Queue::new);
                Batch open = queue.batches.getLast();
                if (open.rows + size > parameters.maxBatchSize() && queue.batches.size() >= parameters.maxEnqueuedBatches()) {
                    refused = new ServeException(503, QUEUE_FULL);
                } else {
                    if (open.rows + size > parameters.maxBatchSize()) {
                        open = new Batch();
                        queue.batches.addLast(open);
                    }
                    if (open.tasks.isEmpty()) queue.openSince = System.nanoTime();
                    open.tasks.add(task);
                    open.rows += size;
                    // A free slot and nothing older waiting: this thread runs the batch itself, sparing the two thread
                    // hand-offs (to a batch thread and back) that would otherwise come before its answer.
                    if (running < parameters.numBatchThreads() && queue.batches.size() == 1 && runnable(queue, System.nanoTime())) {
                        runHere = take(queue);
                    } else {
                        work.signalAll(); // each idle batch thread then takes a batch or waits for the earliest timeout
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            handle.close();
            throw refused;
        }
        if (runHere != null) {
            try {
                run(key, runHere);
            } finally {
                finished();
            }
        }
        return task.answer;
    }

    /** The counts of {@code model} since the server started. */
    Stats stats(String model) {
        lock.lock();
        try {
            long[] c = counts.getOrDefault(model, new long[3]);
            long queued = queues.values().stream().filter(q -> q.key.model().equals(model))
                    .flatMap(q -> q.batches.stream()).mapToLong(b -> b.tasks.size()).sum();
            return new Stats(c[0], c[1], c[2], queued);
        } finally {
            lock.unlock();
        }
    }

    /** A batch thread: takes the next batch that may run while a slot is free, runs it, and so on until closed and drained. */
    private void work() {
        while (true) {
            Batch batch;
            Key key;
            lock.lock();
            try {
                while (true) {
                    Queue queue = running < parameters.numBatchThreads() ? nextRunnable() : null;
                    if (queue != null) {
                        key = queue.key;
                        batch = take(queue);
                        break;
                    }
                    if (closed && queues.isEmpty()) return;
                    // with every slot taken, wait for one to free (finished() signals); else for the earliest timeout
                    long wait = running < parameters.numBatchThreads() ? untilNextTimeout() : Long.MAX_VALUE;
                    if (wait == Long.MAX_VALUE) work.awaitUninterruptibly();
                    else work.awaitNanos(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            try {
                run(key, batch);
            } finally {
                finished();
            }
        }
    }

    /** Whether the queue's oldest batch may run now: it is closed, or it is the open one and full or timed out. */
    private boolean runnable(Queue q, long now) {
        if (q.isEmpty()) return false;
        if (q.batches.size() > 1) return true;
        return closed || q.batches.getLast().rows >= parameters.maxBatchSize() || now - q.openSince >= timeoutNanos;
    }

    /** The first queue (in visiting order) whose oldest batch may run now; null if none. Drops empty queues. */
    private Queue nextRunnable() {
        long now = System.nanoTime();
        for (Iterator<Queue> it = queues.values().iterator(); it.hasNext(); ) {
            Queue q = it.next();
            if (q.isEmpty()) it.remove();
            else if (runnable(q, now)) return q;
        }
        return null;
    }

    /** Takes the queue's oldest batch (opening a new one if it was the open one) to run it, in a slot; under lock. */
    private Batch take(Queue queue) {
        if (queue.batches.size() == 1) queue.batches.addLast(new Batch());
        Batch batch = queue.batches.removeFirst();
        queues.remove(queue.key); // visited last from now on, or gone while it holds nothing
        if (!queue.isEmpty()) queues.put(queue.key, queue);
        long[] c = counts.computeIfAbsent(queue.key.model(), m -> new long[3]);
        c[0]++;
        c[1] += batch.tasks.size();
        c[2] += batch.rows;
        running++;
        return batch;
    }

    /** A batch has run: its slot is free. */
    private void finished() {
        lock.lock();
        try {
            running--;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Nanoseconds until the earliest open batch times out; Long.MAX_VALUE when no batch is waiting. */
    private long untilNextTimeout() {
        long now = System.nanoTime(), wait = Long.MAX_VALUE;
        for (Queue q : queues.values()) {
            if (!q.batches.getLast().tasks.isEmpty()) wait = Math.min(wait, Math.max(1, q.openSince + timeoutNanos - now));
        }
        return wait;
    }

    /** Runs a batch and answers each of its requests; every handle is released before the answers go out. */
    private void run(Key key, Batch batch) {
        List<Task> tasks = batch.tasks;
        List<Object> answers = new ArrayList<>(tasks.size()); // each a Map of outputs or a Throwable
        try {
            try {
                answers.addAll(split(runner.run(key.version(), key.signature(), merge(tasks)), tasks));
            } catch (RuntimeException e) {
                if (tasks.size() == 1) throw e;
                answers.clear();
                for (Task t : tasks) { // find the request that failed the batch; the others are answered
                    try {
                        answers.add(runner.run(key.version(), key.signature(), t.request.inputs()));
                    } catch (RuntimeException alone) {
                        answers.add(alone);
                    }
                }
            }
        } catch (Throwable e) {
            answers.clear();
            for (int i = 0; i < tasks.size(); i++) answers.add(e);
        }
        for (Task t : tasks) {
            try {
                t.handle.close();
            } catch (RuntimeException e) { // closing a retired version failed; the answers are still good
                log.accept("closing version " + key.version().version + " of " + key.model() + " failed: " + e.getMessage());
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            Object a = answers.get(i);
            if (a instanceof Throwable e) tasks.get(i).answer.completeExceptionally(e);
            else {
                @SuppressWarnings("unchecked")
                Map<String, Values> outputs = (Map<String, Values>) a;
                tasks.get(i).answer.complete(outputs);
            }
        }
    }

    /** The tasks' inputs, concatenated along dimension 0, in the signature's order. */
    private static Map<String, Values> merge(List<Task> tasks) {
        Map<String, Values> merged = new LinkedHashMap<>();
        for (String name : tasks.get(0).request.inputs().keySet()) {
            merged.put(name, Values.concat(tasks.stream().map(t -> t.request.inputs().get(name)).toList()));
        }
        return merged;
    }

    /** Each task's rows of every output. */
    private static List<Map<String, Values>> split(Map<String, Values> outputs, List<Task> tasks) {
        int total = tasks.stream().mapToInt(t -> t.request.size()).sum();
        for (var e : outputs.entrySet()) {
            if (e.getValue().rows() != total) {
                throw new IllegalStateException("output " + e.getKey() + " has " + e.getValue().rows() + " rows along dimension 0 for a batch of "
                        + total + " rows, so it cannot be split back into the requests");
            }
        }
        List<Map<String, Values>> out = new ArrayList<>();
        int at = 0;
        for (Task t : tasks) {
            int size = t.request.size();
            Map<String, Values> mine = new LinkedHashMap<>();
            for (var e : outputs.entrySet()) mine.put(e.getKey(), tasks.size() == 1 ? e.getValue() : e.getValue().rows(at, at + size));
            out.add(mine);
            at += size;
        }
        return out;
    }

    /** Takes no new requests, runs those queued, then stops the threads (waiting at most {@code waitSeconds}). */
    void close(long waitSeconds) {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        close(60);
    }
}
