package org.facegan.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One batch split over data-parallel towers: part k is computed on device k. Layers map over the parts, each
 * on its part's device; {@link BatchNorm} is the one layer that looks at all parts at once (its statistics are
 * the whole batch's, so k towers compute what one device computes on the whole batch).
 *
 * <p>A batch on one device is one part placed wherever the caller's {@code Ops} places it: every method then
 * builds exactly the ops a network would build on a plain tensor.
 */
public final class Towers {
    /** Builds part k's output from part k of two inputs, with ops placed on part k's device. */
    @FunctionalInterface
    public interface PairLayer {
        Operand<TFloat32> apply(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);
    }

    private final List<DeviceSpec> devices; // one entry, null: the caller's placement
    private final List<Operand<TFloat32>> parts;

    private Towers(List<DeviceSpec> devices, List<Operand<TFloat32>> parts) {
        if (devices.size() != parts.size()) {
            throw new IllegalArgumentException("towers need one part per device, found " + parts.size() + " parts for "
                    + devices.size() + " devices");
        }
        this.devices = devices;
        this.parts = parts;
    }

    /** A whole batch on one device: the caller's. */
    public static Towers of(Operand<TFloat32> whole) {
        return new Towers(Collections.singletonList(null), List.of(whole));
    }

    /**
     * {@code whole} split along its first axis into equal parts, one per device (the batch size must be a
     * multiple of their count); one device (or none given) keeps the whole batch.
     */
    public static Towers split(Ops tf, Operand<TFloat32> whole, List<DeviceSpec> devices) {
        if (devices.size() <= 1) return of(whole);
        List<Operand<TFloat32>> parts = new ArrayList<>();
        int k = 0;
        for (Operand<TFloat32> part : tf.split(tf.constant(0), whole, (long) devices.size())) {
            parts.add(tf.withDevice(devices.get(k++)).identity(part)); // the tower's copy, where its gradients go too
        }
        return new Towers(List.copyOf(devices), parts);
    }

    public int count() {
        return parts.size();
    }

    public Operand<TFloat32> part(int k) {
        return parts.get(k);
    }

    /** {@code tf} placed on part k's device. */
    public Ops on(Ops tf, int k) {
        return devices.get(k) == null ? tf : tf.withDevice(devices.get(k));
    }

    /** Applies a layer to every part, on that part's device. */
    public Towers map(Ops tf, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> layer) {
        List<Operand<TFloat32>> out = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) out.add(layer.apply(on(tf, k), parts.get(k)));
        return new Towers(devices, out);
    }

    /** Applies a layer to part k of this and of {@code other}, on part k's device. */
    public Towers zip(Ops tf, Towers other, PairLayer layer) {
        if (other.count() != count()) {
            throw new IllegalArgumentException("cannot pair " + count() + " towers with " + other.count());
        }
        List<Operand<TFloat32>> out = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) out.add(layer.apply(on(tf, k), parts.get(k), other.parts.get(k)));
        return new Towers(devices, out);
    }

    /** The same split applied to another whole batch (its rows in the same order). */
    public Towers splitLike(Ops tf, Operand<TFloat32> whole) {
        return count() == 1 ? of(whole) : split(tf, whole, devices);
    }

    /** The parts joined into the whole batch again, by {@code tf} (one part: that part itself). */
    public Operand<TFloat32> joined(Ops tf) {
        return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(0));
    }

    /**
     * The mean of every element of the whole batch: each part sums on its own device and only the sums travel
     * (one part: the plain mean).
     */
    public Operand<TFloat32> mean(Ops tf) {
        if (parts.size() == 1) return tf.math.mean(tf.reshape(parts.get(0), tf.constant(new long[] {-1})), tf.constant(0));
        List<Operand<TFloat32>> sums = new ArrayList<>(), counts = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            Ops at = on(tf, k);
            Operand<TFloat32> flat = at.reshape(parts.get(k), at.constant(new long[] {-1}));
            sums.add(at.sum(flat, at.constant(0)));
            counts.add(at.dtypes.cast(at.size(flat), TFloat32.class));
        }
        return tf.math.div(tf.math.addN(sums), tf.math.addN(counts));
    }
}
