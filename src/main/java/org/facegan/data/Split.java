package org.facegan.data;

/** Which part of a dataset with an evaluation partition to use. */
public enum Split {
    TRAIN(CelebaLayout.TRAIN), VALID(CelebaLayout.VALID), TEST(CelebaLayout.TEST), ALL(-1);

    /** The code in list_eval_partition.txt, or -1 for every image. */
    final int code;

    Split(int code) {
        this.code = code;
    }
}
