package org.facegan.data;

import java.util.ArrayList;
import java.util.List;

/** A dataset seen through a subset of its attributes, in the order asked for ({@code --attrs}). */
public final class AttributeSelection implements FaceDataset {
    private final FaceDataset source;
    private final List<String> names;
    private final int[] columns;

    private AttributeSelection(FaceDataset source, List<String> names, int[] columns) {
        this.source = source;
        this.names = List.copyOf(names);
        this.columns = columns;
    }

    /**
     * @throws IllegalArgumentException naming the unknown attributes and listing the dataset's
     */
    public static FaceDataset of(FaceDataset source, List<String> names) {
        if (names.isEmpty()) return source;
        List<String> unknown = new ArrayList<>();
        int[] columns = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            columns[i] = source.attributeNames().indexOf(names.get(i));
            if (columns[i] < 0) unknown.add(names.get(i));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--attrs: unknown attribute " + String.join(", ", unknown)
                    + "; the dataset has " + String.join(", ", source.attributeNames()));
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("--attrs: an attribute is named twice in " + String.join(",", names));
        }
        return new AttributeSelection(source, names, columns);
    }

    /** The dataset seen through the selection. */
    FaceDataset source() { return source; }

    @Override public int size() { return source.size(); }
    @Override public int imageSize() { return source.imageSize(); }
    @Override public List<String> attributeNames() { return names; }
    @Override public void image(int i, float[] dst, int offset) { source.image(i, dst, offset); }

    @Override
    public float[] attributes(int i) {
        float[] all = source.attributes(i);
        float[] out = new float[columns.length];
        for (int k = 0; k < columns.length; k++) out[k] = all[columns[k]];
        return out;
    }
}
