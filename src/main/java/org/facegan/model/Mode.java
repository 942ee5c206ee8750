package org.facegan.model;

/** How batch norm behaves in a network call. */
public enum Mode {
    /** Normalise with the batch's statistics and record them for the moving averages. */
    TRAIN,
    /** Normalise with the moving statistics: a sample's output does not depend on the rest of its batch. */
    INFERENCE
}
