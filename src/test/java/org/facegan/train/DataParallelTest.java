package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.facegan.model.Devices;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.testing.Fixtures;
import org.facegan.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Data-parallel towers ({@code --devices}) on two of TensorFlow's virtual CPU devices compute what one device
 * computes on the whole batch: the same losses, the same gradients for every variable of D, G and E, and after a
 * step the same weights, Adam slots and batch-norm statistics, up to float rounding (the towers sum in another order). Batch
 * norm is synchronised; per-tower statistics would miss by far more than rounding.
 */
// A placement that starves a cross-device op hangs the session rather than failing it (see Params.read): fail fast.
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DataParallelTest {
    static final int B = 8, Y = 3;
    /**
     * Two towers sum the same terms in another order: batch statistics and filter gradients over the batch in two
     * parts, then the parts added. The step's largest such sums run over B·16·16 positions (TINY's 16x16 layers); a
     * few roundings more in a weight's path add little beside that. Measured on an AMD EPYC: 11 roundoffs of the
     * scale at most, against this bound's 362 (it was 2e-5, 335, before it was derived).
     */
    static final double TOLERANCE = Tolerance.reorderedComputation(B * 16 * 16);
    /**
     * The GAN with every term on (mismatch, auxiliary, E's reconstruction loss through G), the VAE/GAN, and the GAN
     * with issue 23's options (resize upsampling, spectral D with the minibatch standard deviation and the thumbnail, hinge loss, R1's
     * second-order gradients).
     */
    static Stream<TrainOptions> modes() {
        TrainOptions.Builder options = Fixtures.graphOptions().learningRate(2e-4f).seed(5);
        TrainOptions quality = Fixtures.graphOptions().learningRate(2e-4f).seed(5).model(Fixtures.TINY.withUpsample("resize")
                .withDNorm(org.facegan.model.DiscriminatorNorm.SPECTRAL).withMinibatchStddev(true).withThumbnail(true)).loss(AdversarialLoss.HINGE).r1(1f).build();
        TrainOptions latent = Fixtures.graphOptions().learningRate(2e-4f).seed(5).model(Fixtures.TINY.withGeneratorSkip(true))
                .latentRecon(1f).encoderRecon(0.5f).build();
        return Stream.of(options.encoderRecon(0.5f).build(), latent, options.encoderRecon(0f).mismatch(0f)
                .mode(TrainOptions.VAEGAN).reconWeight(1f).klWeight(1f).ganWeight(0.02f).build(), quality);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void twoTowersComputeWhatOneDeviceComputesOnTheWholeBatch(TrainOptions hyper) {
        Batch batch = new Batch(new Random(7));
        try (Built one = new Built(Devices.parse("cpu:0"), hyper); Built two = new Built(Devices.parse("cpu:0,cpu:1"), hyper)) {
            Map<String, float[]> before = one.run(batch), beforeTwo = two.run(batch);
            assertThat(beforeTwo.keySet()).isEqualTo(before.keySet());
            for (String name : before.keySet()) {
                assertClose(name, before.get(name), beforeTwo.get(name), TOLERANCE);
            }
            one.step(batch);
            two.step(batch);
            Map<String, float[]> after = Fixtures.allVariables(one.session), afterTwo = Fixtures.allVariables(two.session);
            assertThat(afterTwo.keySet()).isEqualTo(after.keySet());
            for (String name : after.keySet()) assertClose(name, after.get(name), afterTwo.get(name), TOLERANCE);
        }
    }

    @Test
    void eachTowersLayersAndTheirGradientsRunOnItsOwnDevice() {
        try (Built two = new Built(Devices.parse("cpu:0,cpu:1"), modes().findFirst().orElseThrow())) {
            Map<String, List<String>> kindsByDevice = new LinkedHashMap<>();
            two.graph.operations().forEachRemaining(op -> kindsByDevice
                    .computeIfAbsent(((GraphOperation) op).device(), d -> new ArrayList<>()).add(op.type()));
            // forward and backward: TensorFlow's gradient builder places nothing, ColocatedGradients does
            for (String device : List.of("/device:CPU:0", "/device:CPU:1")) {
                assertThat(kindsByDevice.get(device)).as(device)
                        .contains("Conv2D", "Conv2DBackpropInput", "MatMul", "LeakyRelu", "Tanh")
                        .contains("Conv2DBackpropFilter", "LeakyReluGrad", "TanhGrad", "BiasAddGrad");
            }
            // the two towers' backward passes are the same size
            long filterGradients0 = kindsByDevice.get("/device:CPU:0").stream().filter("Conv2DBackpropFilter"::equals).count();
            long filterGradients1 = kindsByDevice.get("/device:CPU:1").stream().filter("Conv2DBackpropFilter"::equals).count();
            assertThat(filterGradients1).isEqualTo(filterGradients0);
            // variables live on the first device only
            assertThat(kindsByDevice.get("/device:CPU:1")).doesNotContain("VariableV2");
        }
    }

    /** |a - b| <= tolerance * (1 + max |a|), element by element. */
    static void assertClose(String name, float[] expected, float[] actual, double tolerance) {
        assertThat(actual).as(name).hasSameSizeAs(expected);
        double scale = 1;
        for (float v : expected) scale = Math.max(scale, 1 + Math.abs(v));
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertThat(worst).as(name + ": largest difference (scale " + scale + ")").isLessThanOrEqualTo(tolerance * scale);
    }

    /** One batch of every input the training graph takes. */
    static final class Batch {
        final float[] images, realY, fakeZ, fakeY, genZ, genY, noise;

        Batch(Random random) {
            int s = Fixtures.TINY.imageSize(), z = Fixtures.TINY.zDim();
            images = uniform(random, B * s * s * 3);
            realY = bits(random, B * Y);
            fakeZ = normal(random, B * z);
            fakeY = bits(random, B * Y);
            genZ = normal(random, B * z);
            genY = bits(random, B * Y);
            noise = normal(random, B * z);
        }

        private static float[] uniform(Random r, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 2 - 1;
            return v;
        }

        private static float[] normal(Random r, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
            return v;
        }

        private static float[] bits(Random r, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = r.nextBoolean() ? 1 : 0;
            return v;
        }
    }

    /** The training graph on some devices, with its session. */
    static final class Built implements AutoCloseable {
        final Graph graph = new Graph();
        final TrainingGraph net;
        final Session session;

        Built(Devices devices, TrainOptions options) {
            net = new TrainingGraph(graph, options, Y, devices);
            session = Sessions.open(graph, 1, devices);
        }

        /** Losses and every gradient of D, G and E on {@code batch}, by name. */
        Map<String, float[]> run(Batch batch) {
            Map<String, float[]> out = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(List.of("d_loss", "g_loss", "e_loss"));
            List<Output<?>> fetches = new ArrayList<>();
            names(names, fetches, "D", net.discriminator.params().trainable(), net.dGradients);
            names(names, fetches, "G", net.generator.params().trainable(), net.gGradients);
            names(names, fetches, "E", net.encoder.params().trainable(), net.eGradients);
            try (Feeds feeds = new Feeds(batch)) {
                Session.Runner runner = feeds.fed(session.runner(), net).fetch(net.dLoss).fetch(net.gLoss).fetch(net.eLoss);
                fetches.forEach(runner::fetch);
                try (Result r = runner.run()) {
                    for (int i = 0; i < names.size(); i++) out.put(names.get(i), Tensors.read((TFloat32) r.get(i)));
                }
            }
            return out;
        }

        /** One training step: D's run, then G's and E's. */
        void step(Batch batch) {
            try (Feeds feeds = new Feeds(batch)) {
                feeds.fed(session.runner(), net).addTarget(net.dTrain).run().close();
                feeds.fed(session.runner(), net).addTarget(net.gTrain).addTarget(net.eTrain).run().close();
            }
        }

        private static void names(List<String> names, List<Output<?>> fetches, String net,
                                  List<Variable<TFloat32>> variables, List<Output<?>> gradients) {
            for (int i = 0; i < variables.size(); i++) {
                names.add("gradient of " + variables.get(i).op().name());
                fetches.add(gradients.get(i));
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    static final class Feeds implements AutoCloseable {
        final TFloat32 x, realY, fakeZ, fakeY, genZ, genY, noise;

        Feeds(Batch b) {
            int s = Fixtures.TINY.imageSize(), z = Fixtures.TINY.zDim();
            x = Tensors.of(Shape.of(B, s, s, 3), b.images);
            realY = Tensors.matrix(B, Y, b.realY);
            fakeZ = Tensors.matrix(B, z, b.fakeZ);
            fakeY = Tensors.matrix(B, Y, b.fakeY);
            genZ = Tensors.matrix(B, z, b.genZ);
            genY = Tensors.matrix(B, Y, b.genY);
            noise = Tensors.matrix(B, z, b.noise);
        }

        Session.Runner fed(Session.Runner runner, TrainingGraph net) {
            return runner.feed(net.realImages, x).feed(net.realY, realY).feed(net.fakeZ, fakeZ).feed(net.fakeY, fakeY)
                    .feed(net.genZ, genZ).feed(net.genY, genY).feed(net.noise, noise);
        }

        @Override
        public void close() {
            for (TFloat32 t : List.of(x, realY, fakeZ, fakeY, genZ, genY, noise)) t.close();
        }
    }
}
