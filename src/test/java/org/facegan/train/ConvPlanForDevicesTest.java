package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.facegan.model.ConvPlan;
import org.facegan.model.ConvTuner;
import org.facegan.model.Device;
import org.facegan.model.Devices;
import org.junit.jupiter.api.Test;

/** {@code --conv auto} tunes on this host's CPU, so it tunes CPU towers only; GPU towers keep the direct ops. */
class ConvPlanForDevicesTest {
    @Test
    void autoKeepsTheDirectOpsOnGpuTowersAndTunesCpuOnes() {
        assertThat(TrainingGraph.convPlan("auto", 64, Devices.of(Device.parse("gpu:0")))).isSameAs(ConvPlan.DIRECT);
        assertThat(TrainingGraph.convPlan("auto", 64, Devices.of(Device.parse("cpu:0")))).isInstanceOf(ConvTuner.class);
        assertThat(TrainingGraph.convPlan("auto", 64, null)).isInstanceOf(ConvTuner.class);
    }

    @Test
    void aFormNamedExplicitlyIsBuiltOnAnyDevice() {
        assertThat(TrainingGraph.convPlan("matmul", 64, Devices.of(Device.parse("gpu:0"))).toString()).isEqualTo("matmul");
    }
}
