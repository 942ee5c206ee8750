package org.facegan.cli;

import org.facegan.model.Devices;
import picocli.CommandLine.Option;

/**
 * The {@code --devices} option of {@code train} and {@code bench train}. The description is train's; a command that
 * needs other words gives them under the key {@code devices} in its resource bundle (as {@link BenchTrainCommand}).
 */
final class DevicesOption {
    @Option(names = "--devices", paramLabel = "gpu:0,gpu:1,...",
            description = "Data-parallel training: one tower per device, the batch split evenly over them, batch norm synchronised (the towers compute what one device computes on the whole batch), gradients summed and one update on the first device. cpu:0,cpu:1 runs TensorFlow's virtual CPU devices (for tests; no faster). Replaces --device.")
    String devices;

    /**
     * The devices, or null when {@code --devices} is not given.
     *
     * @throws IllegalArgumentException naming --devices when the list is malformed ({@link Devices#parse})
     */
    Devices parse() {
        return devices == null ? null : Devices.parse(devices);
    }
}
