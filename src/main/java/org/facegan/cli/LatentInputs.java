package org.facegan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facegan.data.DataSpec;
import org.facegan.data.FaceDataset;
import org.facegan.data.ImageFiles;

/**
 * Images to encode, from files and directories or from a dataset spec, at the model's size.
 *
 * @param names one per image: the file name, or {@code DATASET#INDEX}
 * @param images [n, S, S, 3] in [-1, 1]
 * @param attributeNames the dataset's attribute names, empty for files
 * @param attributes the dataset's labels, [n, A], or null for files
 */
record LatentInputs(List<String> names, float[] images, List<String> attributeNames, float[] attributes) {
    int count() {
        return names.size();
    }

    static LatentInputs files(List<Path> paths, int size) {
        List<Path> files = ImageFiles.expand(paths);
        List<String> names = files.stream().map(Path::toString).toList();
        return new LatentInputs(names, ImageFiles.readAll(files, size), List.of(), null);
    }

    /** The first count images of a dataset (all of them if count is 0). */
    static LatentInputs dataset(String spec, int count, int size) {
        FaceDataset dataset = DataSpec.parse(spec).openFirst(count, size, done -> {});
        int n = dataset.size();
        int a = dataset.attributeNames().size();
        float[] images = new float[n * size * size * 3], attributes = new float[n * a];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dataset.image(i, images, i * size * size * 3);
            System.arraycopy(dataset.attributes(i), 0, attributes, i * a, a);
            names.add(spec + "#" + i);
        }
        return new LatentInputs(names, images, dataset.attributeNames(), attributes);
    }
}
