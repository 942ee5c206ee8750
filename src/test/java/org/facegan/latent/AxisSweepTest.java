package org.facegan.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AxisSweepTest {
    @Test
    void parsesNegativeRanges() {
        AxisSweep s = AxisSweep.parse("Young=-1:2");
        assertThat(s.attribute()).isEqualTo("Young");
        assertThat(s.values(4)).containsExactly(-1f, 0f, 1f, 2f);
    }

    @Test
    void refusesMalformedAxesNamingTheOption() {
        assertThatThrownBy(() -> AxisSweep.parse("Young")).hasMessageContaining("--axis Young").hasMessageContaining("NAME=FROM:TO");
        assertThatThrownBy(() -> AxisSweep.parse("Young=a:2")).hasMessageContaining("numbers");
        assertThatThrownBy(() -> AxisSweep.parse("Young=0:1").values(1)).hasMessageContaining("--steps");
    }

    @Test
    void gridSetsOnlyTheSweptAttributeRowByRow() {
        float[] base = {0.5f, 0, 1};
        float[] y = AxisSweep.grid(base, List.of(AxisSweep.parse("B=0:2"), AxisSweep.parse("A=1:0")), new int[] {1, 0}, 2, 3);
        assertThat(y).hasSize(2 * 2 * 3 * 3);
        // rows: B=0, B=2, A=1, A=0; three faces each
        float[][] expected = {{0.5f, 0, 1}, {0.5f, 2, 1}, {1, 0, 1}, {0, 0, 1}};
        for (int row = 0; row < 4; row++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) assertThat(y[(row * 3 + c) * 3 + k]).isEqualTo(expected[row][k]);
            }
        }
    }
}
