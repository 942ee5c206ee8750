package org.facegan.io;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Run by {@link Host#runtime} in a child JVM with {@code ONEDNN_VERBOSE=1}: one tiny convolution, so that oneDNN
 * prints its version and the ISA it dispatches on (neither is exported as a C symbol), then one line per device
 * TensorFlow sees, {@code device<TAB>TYPE<TAB>NAME<TAB>BYTES}, on stdout.
 */
public final class NativeProbe {
    private NativeProbe() {}

    public static void main(String[] args) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            // NHWC [1,8,8,4] * HWIO [3,3,4,8]: large enough for oneDNN to take it, small enough to cost nothing
            Operand<TFloat32> x = tf.fill(tf.constant(new long[] {1, 8, 8, 4}), tf.constant(0.5f));
            Operand<TFloat32> w = tf.fill(tf.constant(new long[] {3, 3, 4, 8}), tf.constant(0.25f));
            Operand<TFloat32> y = tf.nn.conv2d(x, w, java.util.List.of(1L, 1L, 1L, 1L), "SAME");
            try (Session session = new Session(graph)) {
                session.runner().fetch(y).run().close();
            }
        }
        System.out.flush();
        listDevices();
        System.out.flush();
    }

    /** TensorFlow's devices through the C API (TF Java's Session does not list them). */
    private static void listDevices() {
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        TF_Session session = TF_NewSession(graph, options, status);
        try {
            TF_DeviceList devices = TF_SessionListDevices(session, status);
            for (int i = 0; i < TF_DeviceListCount(devices); i++) {
                System.out.println("device\t" + TF_DeviceListType(devices, i, status).getString() + "\t"
                        + TF_DeviceListName(devices, i, status).getString() + "\t"
                        + TF_DeviceListMemoryBytes(devices, i, status));
            }
            TF_DeleteDeviceList(devices);
        } finally {
            TF_CloseSession(session, status);
            TF_DeleteSession(session, status);
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
    }
}
