package org.facegan.data;

import java.util.List;

/** A set of face images with per-image attribute vectors (the conditioning y). */
public interface FaceDataset {
    /** Number of images. */
    int size();

    /** S: images are S x S RGB. */
    int imageSize();

    /** CelebA-style attribute names, in the fixed order of {@link #attributes}. */
    List<String> attributeNames();

    /** Writes image i as HWC RGB floats in [-1, 1] (S*S*3 values) into dst starting at offset. */
    void image(int i, float[] dst, int offset);

    /** Attributes of image i in attributeNames() order; binary attributes are 0 or 1. */
    float[] attributes(int i);
}
