package org.facegan.train;

import org.facegan.model.Tensors;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** One step's batch as the tensors the training graph is fed, closed together. */
final class BatchTensors implements AutoCloseable {
    final TFloat32 images, realY, fakeZ, fakeY, genZ, genY;

    BatchTensors(StepDraws.Batch batch, int b, int imageSize, int yDim, int zDim) {
        images = Tensors.of(Shape.of(b, imageSize, imageSize, 3), batch.images);
        realY = Tensors.matrix(b, yDim, batch.realY);
        fakeZ = Tensors.matrix(b, zDim, batch.fakeZ);
        fakeY = Tensors.matrix(b, yDim, batch.fakeY);
        genZ = Tensors.matrix(b, zDim, batch.genZ);
        genY = Tensors.matrix(b, yDim, batch.genY);
    }

    @Override
    public void close() {
        for (TFloat32 t : new TFloat32[] {images, realY, fakeZ, fakeY, genZ, genY}) t.close();
    }
}
