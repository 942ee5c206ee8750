package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {
    @Test
    void holdsTheRenderedFacesAsFloatsInMinusOneToOne() {
        List<Integer> progress = new ArrayList<>();
        SyntheticDataset data = new SyntheticDataset(4, 32, 25, progress::add);
        assertThat(data.size()).isEqualTo(25);
        assertThat(data.imageSize()).isEqualTo(32);
        assertThat(data.attributeNames()).isEqualTo(SyntheticFaces.ATTRIBUTES);
        assertThat(progress).hasSize(25).isSorted().endsWith(25);

        float[] dst = new float[2 + 32 * 32 * 3];
        float[] expected = new float[32 * 32 * 3];
        for (int i : new int[] {0, 7, 24}) {
            SyntheticFace face = SyntheticFaces.render(4, i, 32);
            data.image(i, dst, 2);
            ImageGrid.toFloats(face.image(), expected, 0);
            assertThat(java.util.Arrays.copyOfRange(dst, 2, dst.length)).isEqualTo(expected);
            assertThat(data.attributes(i)).isEqualTo(face.attributes());
        }
        for (float v : dst) assertThat(v).isBetween(-1f, 1f);
    }

    @Test
    void attributesAreCopies() {
        SyntheticDataset data = new SyntheticDataset(4, 32, 2);
        data.attributes(0)[0] = 7;
        assertThat(data.attributes(0)[0]).isIn(0f, 1f);
    }

    @Test
    void rejectsBadArgumentsAndIndices() {
        assertThatThrownBy(() -> new SyntheticDataset(0, 28, 10)).hasMessageContaining("28");
        assertThatThrownBy(() -> new SyntheticDataset(0, 32, 0)).hasMessageContaining("count").hasMessageContaining("0");
        SyntheticDataset data = new SyntheticDataset(0, 32, 3);
        assertThatThrownBy(() -> data.attributes(3)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("3");
    }
}
