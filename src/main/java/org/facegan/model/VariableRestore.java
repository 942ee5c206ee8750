package org.facegan.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Restores some of a graph's variables from a checkpoint, by their names, as {@link Session#restore} does for all of
 * them: for a graph that also holds variables the checkpoint never had (an inference graph's {@link WeightCache}).
 */
public final class VariableRestore {
    private VariableRestore() {}

    /**
     * @param prefix the checkpoint's path prefix (what {@link Session#save} was given)
     * @throws RuntimeException TensorFlow's, where a variable is missing from the checkpoint or has another shape
     */
    public static void restore(Graph graph, Session session, String prefix, List<Variable<TFloat32>> variables) {
        if (variables.isEmpty()) return;
        Ops tf = Ops.create(graph).withSubScope("restore_variables");
        String[] names = variables.stream().map(v -> v.op().name()).toArray(String[]::new);
        Operand<TString> slices = tf.constant(StandardCharsets.UTF_8, Collections.nCopies(names.length, "").toArray(String[]::new));
        List<Class<? extends TType>> types = new ArrayList<>(Collections.nCopies(names.length, TFloat32.class));
        var restored = tf.train.restore(tf.constant(prefix), tf.constant(StandardCharsets.UTF_8, names), slices, types).tensors();
        Session.Runner runner = session.runner();
        for (int i = 0; i < names.length; i++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> value = (Operand<TFloat32>) restored.get(i);
            runner.addTarget(tf.assign(variables.get(i), value));
        }
        runner.run();
    }
}
