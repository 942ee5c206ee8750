package org.facegan.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facegan.data.DataSpec;
import org.facegan.model.ModelConfig;
import org.facegan.model.Precision;
import org.facegan.model.Upsampling;
import org.facegan.train.TrainOptions;
import org.facegan.train.VaeGan;
import org.facegan.train.YSampler;

/** The run folder {@code train} picks when not given {@code --run}: the same options give the same name (resume). */
final class RunNames {
    private RunNames() {}

    /** runs/faces32-synthetic, with the options that differ from the defaults appended. */
    static String of(TrainOptions o, DataSpec spec) {
        List<String> parts = new ArrayList<>(List.of(o.model().name(), spec.shortName()));
        if (o.batch() != TrainOptions.DEFAULT_BATCH) parts.add("b" + o.batch());
        if (o.learningRate() != TrainOptions.DEFAULT_LEARNING_RATE) parts.add(String.format(Locale.ROOT, "lr%g", o.learningRate()));
        if (o.dLearningRate() != 0) parts.add(String.format(Locale.ROOT, "dlr%g", o.dLearningRate()));
        if (o.lrDecay() != TrainOptions.DEFAULT_LR_DECAY) parts.add(String.format(Locale.ROOT, "decay%g", o.lrDecay()));
        if (o.beta1() != TrainOptions.DEFAULT_BETA1) parts.add(String.format(Locale.ROOT, "beta%g", o.beta1()));
        if (o.mismatch() != TrainOptions.DEFAULT_MISMATCH) parts.add(String.format(Locale.ROOT, "mm%g", o.mismatch()));
        if (o.auxiliary() != TrainOptions.DEFAULT_AUXILIARY) parts.add(String.format(Locale.ROOT, "aux%g", o.auxiliary()));
        if (!o.ySampler().equals(YSampler.EMPIRICAL)) parts.add(o.ySampler().replace(":", ""));
        if (o.encoderRecon() != TrainOptions.DEFAULT_ENCODER_RECON) parts.add(String.format(Locale.ROOT, "er%g", o.encoderRecon()));
        if (!o.balance().equals(TrainOptions.DEFAULT_BALANCE)) parts.add(o.balance().replace(":", ""));
        if (o.labelSmoothing() != TrainOptions.DEFAULT_LABEL_SMOOTHING) parts.add(String.format(Locale.ROOT, "ls%g", o.labelSmoothing()));
        if (o.vaegan() != null) {
            parts.add(TrainOptions.VAEGAN);
            if (o.reconWeight() != VaeGan.DEFAULT_RECON) parts.add(String.format(Locale.ROOT, "rw%g", o.reconWeight()));
            if (o.klWeight() != VaeGan.DEFAULT_KL) parts.add(String.format(Locale.ROOT, "kl%g", o.klWeight()));
            if (o.ganWeight() != VaeGan.DEFAULT_GAN) parts.add(String.format(Locale.ROOT, "gw%g", o.ganWeight()));
        }
        if (o.generatorAverage() != TrainOptions.DEFAULT_GENERATOR_AVERAGE) {
            parts.add(String.format(Locale.ROOT, "ga%g", o.generatorAverage()));
        }
        if (!o.precision().equals(Precision.FP32.toString())) parts.add(o.precision());
        if (o.reuseFakes()) parts.add("reuse");
        String upsample = o.model().upsample();
        if (!upsample.equals(Upsampling.DEFAULT_SPEC)) {
            parts.add(upsample.contains(",") ? "up" + upsample.replace(",", ".") : upsample);
        }
        if (o.model().spectralD()) parts.add("sn");
        // the architecture switches, where they differ from the preset the model is named after (off elsewhere)
        ModelConfig preset = ModelConfig.PRESETS.contains(o.model().name()) ? ModelConfig.load(o.model().name()) : null;
        onOff(parts, "mbstd", o.model().dMinibatchStddev(), preset != null && preset.dMinibatchStddev());
        onOff(parts, "thumb", o.model().dThumbnail(), preset != null && preset.dThumbnail());
        onOff(parts, "gskip", o.model().gSkip(), preset != null && preset.gSkip());
        if (o.model().gTopChannels() != (preset != null ? preset.gTopChannels() : 0)) parts.add("top" + o.model().gTopChannels());
        if (!o.loss().equals(TrainOptions.DEFAULT_LOSS)) parts.add(o.loss());
        if (o.r1() != TrainOptions.DEFAULT_R1) parts.add(String.format(Locale.ROOT, "r1%g", o.r1()));
        if (o.latentRecon() != TrainOptions.defaultLatentRecon(o.mode())) parts.add(String.format(Locale.ROOT, "lat%g", o.latentRecon()));
        if (o.modeSeeking() != TrainOptions.defaultModeSeeking(o.mode())) parts.add(String.format(Locale.ROOT, "ms%g", o.modeSeeking()));
        if (o.gMoments() != TrainOptions.DEFAULT_G_MOMENTS) parts.add(String.format(Locale.ROOT, "gm%g", o.gMoments()));
        if (o.seed() != TrainOptions.DEFAULT_SEED) parts.add("seed" + o.seed());
        return String.join("-", parts);
    }

    /** {@code name} when a switch is on against its default, no{@code name} when it is off against it. */
    private static void onOff(List<String> parts, String name, boolean on, boolean byDefault) {
        if (on != byDefault) parts.add(on ? name : "no" + name);
    }
}
