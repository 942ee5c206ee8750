package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.facegan.model.ModelConfig;
import org.facegan.model.Network;
import org.facegan.model.Precision;
import org.facegan.model.Sessions;
import org.facegan.testing.Fixtures;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** One training step of D, G and E in a given precision, for tests outside this package. */
public final class PrecisionSteps {
    private PrecisionSteps() {}

    /** The trainable variables of G, D and E after one step (or before it, when {@code step} is false). */
    public static Map<String, float[]> afterOneStep(ModelConfig model, int yDim, Precision precision, boolean step) {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().model(model).precision(precision).seed(3).build(), yDim);
            try (Session session = Sessions.open(graph, 1);
                 FixedBatch batch = new FixedBatch(8, model.imageSize(), yDim, model.zDim(), 5)) {
                if (step) {
                    session.runner().feed(t.realImages, batch.images).feed(t.realY, batch.y).feed(t.fakeZ, batch.z)
                            .feed(t.fakeY, batch.y).addTarget(t.dTrain).run().close();
                    session.runner().feed(t.genZ, batch.z).feed(t.genY, batch.y).addTarget(t.gTrain).addTarget(t.eTrain)
                            .run().close();
                }
                List<Variable<TFloat32>> all = new ArrayList<>();
                for (Network n : List.of(t.generator, t.discriminator, t.encoder)) all.addAll(n.params().trainable());
                return Fixtures.values(session, all);
            }
        }
    }
}
