package org.facegan.model;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Server;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * This process's TensorFlow gRPC server: one task of a {@link ClusterSpec}, listening on every interface at its
 * port. TensorFlow cannot stop one ({@code Server.stop()} answers "Clean shutdown is not currently implemented"),
 * so a server lives as long as its process, and a process starts at most one: starting the same task again (a
 * second training attempt in the same process, a test) returns the running one.
 */
public final class ClusterServer {
    private static ClusterSpec started;
    private static Server server;

    private ClusterServer() {}

    /**
     * Starts the server of {@code spec}'s task, once per process.
     *
     * @param threads intra/inter-op threads of its devices; 0 keeps TensorFlow's default
     * @throws IllegalStateException when the port cannot be bound, or this process already serves another task
     */
    public static synchronized void start(ClusterSpec spec, int threads) {
        if (server != null) {
            if (started.equals(spec)) return;
            throw new IllegalStateException("this process already serves " + started.describe(started.task())
                    + " of " + started.workers() + "; a process serves one task (TensorFlow cannot stop a server)");
        }
        Server s;
        try {
            s = new Server(spec.serverDef(threads));
            s.start();
        } catch (TensorFlowException e) {
            throw new IllegalStateException("cannot start the server of " + spec.describe(spec.task()) + " (is port "
                    + spec.port() + " in use?): " + firstLine(e), e);
        }
        server = s;
        started = spec;
    }

    /**
     * Waits until every other task of {@code spec} accepts connections on its port, or {@code wait} has passed.
     *
     * @throws IllegalStateException naming the tasks that never answered, their addresses and how to start them
     */
    public static void awaitOthers(ClusterSpec spec, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < spec.size(); k++) if (k != spec.task()) missing.add(k);
        while (true) {
            missing.removeIf(k -> reachable(spec.address(k), 1000));
            if (missing.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                List<String> named = new ArrayList<>();
                for (int k : missing) named.add(spec.describe(k));
                throw new IllegalStateException(String.join(", ", named) + (missing.size() == 1 ? " is" : " are")
                        + " unreachable after " + wait.toSeconds() + " s: start `facegan worker --cluster FILE --task N` "
                        + "there, with this run's cluster file, or fix the address");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the cluster's workers", e);
            }
        }
    }

    /** Whether something accepts TCP connections at {@code host:port} within {@code timeoutMillis}. */
    public static boolean reachable(String address, int timeoutMillis) {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                    timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String firstLine(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    }
}
