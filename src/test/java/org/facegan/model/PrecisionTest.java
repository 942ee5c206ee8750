package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.facegan.testing.Fixtures;
import org.facegan.train.TrainingGraph;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.DataType;

/** The dtype plumbing of --precision, checked on the CPU: which ops compute in what, and that the weights stay float32. */
class PrecisionTest {
    static final int Y = 4;
    static final Set<String> HEAVY = Set.of("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MatMul");

    @Test
    void theHeavyOpsComputeInThePrecisionAndEverythingTrainableStaysFloat32() {
        for (Precision p : Precision.values()) {
            try (Graph graph = new Graph()) {
                new TrainingGraph(graph, Fixtures.TINY, Y, new TrainingGraph.Hyper(1e-3f, 0.5f, 0.999f, 0.5f, 1f).withPrecision(p), 3);
                int heavy = 0;
                for (var it = graph.operations(); it.hasNext(); ) {
                    GraphOperation op = (GraphOperation) it.next();
                    if (HEAVY.contains(op.type())) {
                        heavy++;
                        assertThat(op.output(0).dataType()).as("%s %s in %s", op.type(), op.name(), p).isEqualTo(p.dataType());
                    }
                    if (op.type().startsWith("Variable")) {
                        assertThat(op.output(0).dataType()).as("variable %s in %s", op.name(), p).isEqualTo(DataType.DT_FLOAT_REF);
                    }
                    if (op.type().equals("FusedBatchNormV3") || op.type().equals("ApplyAdam")) {
                        assertThat(op.output(0).dataType()).as("%s in %s", op.name(), p).isIn(DataType.DT_FLOAT, DataType.DT_FLOAT_REF);
                    }
                }
                assertThat(heavy).as("heavy ops in %s", p).isGreaterThan(20);
            }
        }
    }

    @Test
    void aBf16StepTrainsAndStaysCloseToFloat32() {
        Map<String, float[]> fp32 = oneStep(Precision.FP32), bf16 = oneStep(Precision.BF16);
        Map<String, float[]> initial = oneStep(null);
        double moved = Fixtures.meanAbsoluteDifference(fp32, initial);
        assertThat(Fixtures.meanAbsoluteDifference(bf16, initial)).isGreaterThan(0.5 * moved);
        // bf16 keeps 8 bits of mantissa: the update differs from float32's, but by much less than its size
        assertThat(Fixtures.meanAbsoluteDifference(bf16, fp32)).isLessThan(0.5 * moved);
    }

    @Test
    void parsesItsThreeNamesAndRefusesOthersNamingTheOption() {
        assertThat(Precision.parse("BF16")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse("fp16")).isEqualTo(Precision.FP16);
        assertThatThrownBy(() -> Precision.parse("fp8")).hasMessageContaining("--precision").hasMessageContaining("fp8");
    }

    /** The trainable variables after one D, G and E step in {@code p} (null: before any step). */
    private static Map<String, float[]> oneStep(Precision p) {
        return org.facegan.train.PrecisionSteps.afterOneStep(Fixtures.TINY, Y, p == null ? Precision.FP32 : p, p != null);
    }
}
