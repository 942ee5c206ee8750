package org.facegan.data;

import java.awt.image.BufferedImage;

/**
 * One rendered built-in face.
 *
 * @param image the face, TYPE_INT_RGB, S x S px
 * @param attributes 0/1 values in {@link SyntheticFaces#ATTRIBUTES} order
 */
public record SyntheticFace(BufferedImage image, float[] attributes) {
    public SyntheticFace {
        if (image == null) throw new IllegalArgumentException("image must not be null");
        if (attributes == null || attributes.length != SyntheticFaces.ATTRIBUTES.size()) {
            throw new IllegalArgumentException("attributes must hold " + SyntheticFaces.ATTRIBUTES.size()
                    + " values, found " + (attributes == null ? "null" : attributes.length));
        }
    }
}
