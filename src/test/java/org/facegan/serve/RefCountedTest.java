package org.facegan.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-version handle: closed exactly once, after the last holder, and never handed out once retired. */
class RefCountedTest {
    /** Counts its closes; {@code inUse} is what a holder sets while it works on the resource. */
    static final class Resource implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger inUse = new AtomicInteger();
        final AtomicBoolean closedWhileInUse = new AtomicBoolean();

        @Override
        public void close() {
            if (inUse.get() > 0) closedWhileInUse.set(true);
            closes.incrementAndGet();
        }
    }

    @Test
    void retiringWithNoHolderClosesAtOnceAndOnlyOnce() {
        Resource r = new Resource();
        RefCounted<Resource> shared = new RefCounted<>(r);
        shared.retire();
        shared.retire();
        assertThat(r.closes).hasValue(1);
        assertThat(shared.tryAcquire()).isEmpty();
    }

    @Test
    void releaseAfterRetireClosesExactlyOnceAndAcquireAfterRetireFails() {
        Resource r = new Resource();
        RefCounted<Resource> shared = new RefCounted<>(r);
        RefCounted.Handle<Resource> first = shared.tryAcquire().orElseThrow();
        RefCounted.Handle<Resource> second = shared.tryAcquire().orElseThrow();
        shared.retire();
        assertThat(shared.tryAcquire()).as("acquire after retire").isEmpty();
        first.close();
        first.close(); // a second close of the same handle releases nothing more
        assertThat(r.closes).as("closed while a holder remains").hasValue(0);
        assertThat(second.get()).isSameAs(r);
        second.close();
        assertThat(r.closes).hasValue(1);
        shared.retire();
        assertThat(r.closes).hasValue(1);
        assertThatThrownBy(second::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
    }

    @Test
    void underConcurrentHoldersTheResourceClosesOnceAndNeverUnderAHolder() throws Exception {
        for (int round = 0; round < 50; round++) {
            Resource r = new Resource();
            RefCounted<Resource> shared = new RefCounted<>(r);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger acquiredAfterRetire = new AtomicInteger();
            AtomicBoolean retired = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                        boolean wasRetired = retired.get();
                        var handle = shared.tryAcquire();
                        if (handle.isEmpty()) break;
                        if (wasRetired) acquiredAfterRetire.incrementAndGet();
                        try (var h = handle.get()) {
                            h.get().inUse.incrementAndGet();
                            if (h.get().closes.get() > 0) h.get().closedWhileInUse.set(true);
                            Thread.onSpinWait();
                            h.get().inUse.decrementAndGet();
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            start.countDown();
            Thread.sleep(1);
            shared.retire();
            retired.set(true); // after retire() returned: an acquire that starts now must fail
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).isFalse();
            }
            assertThat(r.closes).hasValue(1);
            assertThat(r.closedWhileInUse).isFalse();
            assertThat(acquiredAfterRetire).hasValue(0);
        }
    }
}
