package org.facegan.serve;

import java.util.Optional;

/**
 * A resource shared by the requests running on it and closed after the last of them, as TF Serving's ServableHandle
 * keeps an unloaded version alive for the requests still using it. The registry retires a version once it is no
 * longer listed; each request holds a {@link Handle} from {@link #tryAcquire} until its answer is computed.
 */
final class RefCounted<T extends AutoCloseable> {
    // Invariant, guarded by this: the resource is closed exactly once, on the step to (retired && users == 0).
    // Once retired, tryAcquire fails, so users only falls from then on: no handle ever sees a closed resource.
    private final T resource;
    private int users;
    private boolean retired;

    RefCounted(T resource) {
        this.resource = resource;
    }

    /** A handle on the resource for one user, or empty once it is retired. */
    synchronized Optional<Handle<T>> tryAcquire() {
        if (retired) return Optional.empty();
        users++;
        return Optional.of(new Handle<>(this));
    }

    /** No new users from now on; the resource is closed now if none holds it, else when the last one releases it. */
    void retire() {
        synchronized (this) {
            if (retired) return;
            retired = true;
            if (users > 0) return;
        }
        closeResource();
    }

    private void release() {
        synchronized (this) {
            if (--users > 0 || !retired) return;
        }
        closeResource();
    }

    private void closeResource() {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + resource + ": " + e.getMessage(), e);
        }
    }

    /** One user's hold on the resource; closing it releases the hold (once, however often it is closed). */
    static final class Handle<T extends AutoCloseable> implements AutoCloseable {
        private final RefCounted<T> owner;
        private boolean released;

        private Handle(RefCounted<T> owner) {
            this.owner = owner;
        }

        T get() {
            if (released) throw new IllegalStateException("handle used after it was released");
            return owner.resource;
        }

        @Override
        public void close() {
            if (released) return;
            released = true;
            owner.release();
        }
    }
}
