package org.facegan.model;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetTarget;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * A TF Java {@link Session} whose runtime is given by a target, {@code grpc://host:port} (a TensorFlow server's
 * master, which runs each step over the cluster's tasks), rather than the process's own.
 *
 * <p>TF Java's {@code Session} takes no target (its private allocator has a target parameter it never uses), so the
 * session is made as that allocator makes it, through TF Java's own bindings of the C API ({@code TF_SetTarget}
 * added), and handed to the package-private {@code Session(Graph, TF_Session)} constructor, with the
 * {@code autoInit} flag the public constructors set. This class is the one place that reaches into TF Java for it;
 * {@code TargetSessionTest} fails when an upgrade moves what it relies on.
 */
public final class TargetSession {
    private TargetSession() {}

    /**
     * A session on {@code graph} run by {@code target} ({@code ""}: the in-process runtime, as {@code new Session}).
     * Closing it closes the native session, as for any session.
     *
     * @throws org.tensorflow.exceptions.TensorFlowException when TensorFlow cannot create it (e.g. a bad target)
     */
    public static Session open(Graph graph, ConfigProto config, String target) {
        TF_Session handle;
        try (PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
            TF_SetTarget(options, target);
            BytePointer bytes = new BytePointer(config.toByteArray());
            TF_SetConfig(options, bytes, bytes.capacity(), status);
            status.throwExceptionIfNotOK();
            handle = TF_Session.newSession(graphHandle(graph), options, status);
            status.throwExceptionIfNotOK();
            handle.retainReference(); // outlives the scope; Session.close releases it
        }
        return wrap(graph, handle);
    }

    /** The names of the devices the session's runtime offers ({@code /job:worker/replica:0/task:1/device:CPU:0}, ...). */
    public static List<String> deviceNames(Session session) {
        List<String> names = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TF_DeviceList list = TF_SessionListDevices(sessionHandle(session), status);
            status.throwExceptionIfNotOK();
            try {
                for (int i = 0; i < TF_DeviceListCount(list); i++) {
                    BytePointer name = TF_DeviceListName(list, i, status);
                    status.throwExceptionIfNotOK();
                    names.add(name.getString());
                }
            } finally {
                TF_DeleteDeviceList(list);
            }
        }
        return names;
    }

    private static Session wrap(Graph graph, TF_Session handle) {
        try {
            Constructor<Session> constructor = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
            constructor.setAccessible(true);
            Session session = constructor.newInstance(graph, handle);
            Field autoInit = Session.class.getDeclaredField("autoInit"); // as new Session(graph, config) sets it
            autoInit.setAccessible(true);
            autoInit.setBoolean(session, true);
            return session;
        } catch (ReflectiveOperationException e) {
            handle.releaseReference();
            throw new IllegalStateException("this TF Java version has no Session(Graph, TF_Session) constructor or "
                    + "autoInit field to open a session with a target: " + e, e);
        }
    }

    private static TF_Graph graphHandle(Graph graph) {
        return (TF_Graph) field(Graph.class, "nativeHandle", graph);
    }

    private static TF_Session sessionHandle(Session session) {
        return (TF_Session) field(Session.class, "nativeHandle", session);
    }

    private static Object field(Class<?> type, String name, Object of) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(of);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this TF Java version keeps its " + type.getSimpleName() + " handle elsewhere: " + e, e);
        }
    }
}
