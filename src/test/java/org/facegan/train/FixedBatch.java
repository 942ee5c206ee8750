package org.facegan.train;

import java.util.SplittableRandom;
import org.facegan.model.Tensors;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** A fixed random batch for graph-level tests: images in [-1, 1], 0/1 attributes, Gaussian z and ε. */
final class FixedBatch implements AutoCloseable {
    final TFloat32 images, y, z, noise;

    FixedBatch(int batch, int imageSize, int yDim, int zDim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[batch * imageSize * imageSize * 3], ys = new float[batch * yDim];
        float[] zs = new float[batch * zDim], eps = new float[batch * zDim];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);
        for (int i = 0; i < ys.length; i++) ys[i] = random.nextInt(2);
        StepDraws.gaussian(random, zs);
        StepDraws.gaussian(random, eps);
        images = Tensors.of(Shape.of(batch, imageSize, imageSize, 3), x);
        y = Tensors.matrix(batch, yDim, ys);
        z = Tensors.matrix(batch, zDim, zs);
        noise = Tensors.matrix(batch, zDim, eps);
    }

    @Override
    public void close() {
        images.close();
        y.close();
        z.close();
        noise.close();
    }
}
