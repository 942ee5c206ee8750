package org.facegan.data;

import java.util.List;

/** The first {@code size} images of a dataset. */
record DatasetHead(FaceDataset source, int size) implements FaceDataset {
    @Override public int imageSize() { return source.imageSize(); }
    @Override public List<String> attributeNames() { return source.attributeNames(); }

    @Override
    public void image(int i, float[] dst, int offset) {
        java.util.Objects.checkIndex(i, size);
        source.image(i, dst, offset);
    }

    @Override
    public float[] attributes(int i) {
        java.util.Objects.checkIndex(i, size);
        return source.attributes(i);
    }
}
