package org.facegan.train;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteImportGraphDefOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphImportGraphDef;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsAddInputMapping;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsRemapControlDependency;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewBufferFromString;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewImportGraphDefOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_ImportGraphDefOptions;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Gradients whose ops run where the ops they differentiate run, for data-parallel towers.
 *
 * <p>TensorFlow's gradient builder ({@code Graph.addGradients}) gives the ops it creates no device, and the placer
 * puts every op without one on the first device: each tower's backward pass, two thirds of a step's work, would
 * run on tower 0. So the gradients are built in a copy of the graph, each new op takes the device of its first
 * input that has one (the tower's activations, its weight reads, or the gradient flowing into it; ops with no
 * placed input, such as constants, are left to the placer, which puts them with their consumer), and the new ops
 * are imported into the graph wired to its existing ops: TensorFlow's import with an input map, which TF Java
 * does not wrap, so it is called through TF Java's own bindings of the C API.
 */
final class ColocatedGradients {
    private ColocatedGradients() {}

    /**
     * d{@code loss}/d{@code wrt}, built as {@code Graph.addGradients} builds them, under the name scope
     * {@code prefix} (which must be unused).
     */
    static Output<?>[] add(Graph graph, String prefix, Output<?> loss, Output<?>[] wrt) {
        GraphDef original = graph.toGraphDef();
        Map<String, String> devices = new HashMap<>();
        for (NodeDef node : original.getNodeList()) devices.put(node.getName(), node.getDevice());

        GraphDef withGradients;
        String[] gradientOps = new String[wrt.length];
        int[] gradientIndices = new int[wrt.length];
        try (Graph copy = new Graph()) {
            copy.importGraphDef(original);
            Output<?>[] x = new Output<?>[wrt.length];
            for (int i = 0; i < wrt.length; i++) x[i] = same(copy, wrt[i]);
            Output<?>[] grads = copy.addGradients(prefix, new Output<?>[] {same(copy, loss)}, x, null);
            for (int i = 0; i < grads.length; i++) {
                gradientOps[i] = grads[i].op().name();
                gradientIndices[i] = grads[i].index();
            }
            withGradients = copy.toGraphDef();
        }

        GraphDef.Builder fresh = GraphDef.newBuilder().setVersions(withGradients.getVersions());
        List<NodeDef.Builder> nodes = new ArrayList<>();
        for (NodeDef node : withGradients.getNodeList()) {
            if (!devices.containsKey(node.getName())) nodes.add(node.toBuilder());
        }
        placeWithInputs(nodes, devices);
        nodes.forEach(fresh::addNode);
        importInto(graph, fresh.build(), nodes);

        Output<?>[] out = new Output<?>[wrt.length];
        for (int i = 0; i < wrt.length; i++) out[i] = graph.operationOrThrow(gradientOps[i]).output(gradientIndices[i]);
        return out;
    }

    /** Gives each node the device of its first data input that has one, until nothing changes. */
    private static void placeWithInputs(List<NodeDef.Builder> nodes, Map<String, String> devices) {
        for (NodeDef.Builder node : nodes) devices.put(node.getName(), node.getDevice());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (NodeDef.Builder node : nodes) {
                if (!node.getDevice().isEmpty()) continue;
                for (String input : node.getInputList()) {
                    if (input.startsWith("^")) continue;
                    String device = devices.get(opName(input));
                    if (device != null && !device.isEmpty()) {
                        node.setDevice(device);
                        devices.put(node.getName(), device);
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    /** Imports {@code def} into {@code graph}, mapping its references to ops outside it onto the graph's ops. */
    private static void importInto(Graph graph, GraphDef def, List<NodeDef.Builder> nodes) {
        Set<String> inside = new HashSet<>();
        for (NodeDef.Builder node : nodes) inside.add(node.getName());
        TF_ImportGraphDefOptions options = TF_NewImportGraphDefOptions();
        TF_Status status = TF_NewStatus();
        byte[] bytes = def.toByteArray();
        BytePointer data = new BytePointer(bytes);
        TF_Buffer buffer = TF_NewBufferFromString(data, bytes.length);
        List<TF_Output> mapped = new ArrayList<>();
        try {
            Set<String> done = new HashSet<>();
            for (NodeDef.Builder node : nodes) {
                for (String input : node.getInputList()) {
                    String name = opName(input);
                    if (inside.contains(name) || !done.add(input)) continue;
                    GraphOperation existing = graph.operation(name);
                    if (existing == null) throw new IllegalStateException("gradient input " + input + " is not in the graph");
                    if (input.startsWith("^")) {
                        TF_ImportGraphDefOptionsRemapControlDependency(options, name, existing.getUnsafeNativeHandle());
                    } else {
                        int index = outputIndex(input);
                        TF_Output target = new TF_Output().oper(existing.getUnsafeNativeHandle()).index(index);
                        mapped.add(target);
                        TF_ImportGraphDefOptionsAddInputMapping(options, name, index, target);
                    }
                }
            }
            TF_GraphImportGraphDef(nativeHandle(graph), buffer, options, status);
            if (TF_GetCode(status) != 0) {
                throw new IllegalStateException("cannot import the placed gradients: " + TF_Message(status).getString());
            }
        } finally {
            TF_DeleteBuffer(buffer);
            TF_DeleteImportGraphDefOptions(options);
            TF_DeleteStatus(status);
            data.close();
            mapped.forEach(TF_Output::close);
        }
    }

    private static Output<?> same(Graph copy, Output<?> output) {
        return copy.operation(output.op().name()).output(output.index());
    }

    private static String opName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    private static int outputIndex(String input) {
        int colon = input.indexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(input.substring(colon + 1));
    }

    /** TF Java keeps the C graph private; its import with an input map needs it. */
    private static TF_Graph nativeHandle(Graph graph) {
        try {
            Field field = Graph.class.getDeclaredField("nativeHandle");
            field.setAccessible(true);
            return (TF_Graph) field.get(graph);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this TF Java version keeps its graph handle elsewhere: " + e, e);
        }
    }
}
