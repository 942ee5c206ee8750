package org.facegan.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Architecture of one conditional DCGAN (Radford et al. 2015, "Unsupervised Representation Learning with Deep
 * Convolutional Generative Adversarial Networks"), read from a JSON preset in {@code models/}.
 *
 * <p>The image size S fixes the number of up/down-sampling stages L = log2(S / 4): G grows a 4x4 seed to S x S,
 * D and E shrink S x S to 4x4. Channel widths double at every stage from {@code ngf}/{@code ndf}/{@code nef}.
 *
 * @param name preset name, recorded in runs and exports
 * @param description one line for humans
 * @param imageSize S, 32 or 64 (any power of two from 8 to 256 is accepted)
 * @param zDim length of the latent vector z (DCGAN: 100)
 * @param ngf generator width: channels of G's last hidden layer
 * @param ndf discriminator width: channels of D's first layer
 * @param nef encoder width: channels of E's first layer
 * @param kernel convolution kernel size k (k x k)
 * @param dHidden units of D's hidden dense layer after y is concatenated to its features (leaky ReLU), 0 for none.
 *     With 0, y only adds a bias to D's logit that does not depend on the image, so D cannot check that an image
 *     fits its y; carpedm20's conditional D uses 1024 here, the reference network of ../shared/bench/REFERENCE.md
 *     none.
 * @param upsample how G doubles the image, for every layer or per layer ({@link Upsampling}: deconv, resize, or a
 *     comma-separated list from the 4x4 seed outwards, the RGB or top layer last); absent reads as deconv, DCGAN's
 * @param dNorm D's normalisation ({@link DiscriminatorNorm}: batch or spectral); absent reads as batch
 * @param dMinibatchStddev whether D's dense layers also read the batch's standard deviation ({@link MinibatchStddev});
 *     absent reads as false
 * @param dThumbnail whether D's dense layers also read the image itself averaged down to 4x4 (48 values): the
 *     low-frequency layout (lighting, colours) as plain inputs; absent reads as false
 * @param gSkip whether G also draws a 4x4 RGB image from its seed, upsampled bilinearly and added to its output
 *     before the tanh (StyleGAN2's skip generator, at one resolution); absent reads as false
 * @param gTopChannels channels of a hidden layer at full resolution, 0 for none: G's last transposed convolution
 *     then draws that many channels (batch norm, ReLU) and a 3x3 stride-1 convolution turns them into RGB, so each
 *     pixel is a non-linear function of its neighbourhood rather than a linear one of the half-resolution features
 *     (DCGAN draws RGB with the last transposed convolution); absent reads as 0
 */
public record ModelConfig(
        String name, String description, int imageSize, int zDim, int ngf, int ndf, int nef, int kernel,
        int dHidden, String upsample, DiscriminatorNorm dNorm, boolean dMinibatchStddev, boolean dThumbnail,
        boolean gSkip, int gTopChannels) {

    /** Presets that ship with facegan, in {@code models/NAME.json}. */
    public static final List<String> PRESETS = List.of("faces32", "faces64", "dcgan64");
    public static final String DEFAULT_PRESET = "faces32";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("model name must not be empty");
        if (description == null) description = "";
        if (imageSize < 8 || imageSize > 256 || Integer.bitCount(imageSize) != 1) {
            throw new IllegalArgumentException(
                    "imageSize must be a power of two in [8, 256], found " + imageSize);
        }
        requireRange("zDim", zDim, 1, 4096);
        requireRange("ngf", ngf, 1, 1024);
        requireRange("ndf", ndf, 1, 1024);
        requireRange("nef", nef, 1, 1024);
        requireRange("kernel", kernel, 1, 9);
        requireRange("dHidden", dHidden, 0, 8192);
        requireRange("gTopChannels", gTopChannels, 0, 1024);
        if (upsample == null) upsample = Upsampling.DEFAULT_SPEC; // presets and runs made before the option
        upsample = Upsampling.spec(Upsampling.layers(upsample, Integer.numberOfTrailingZeros(imageSize) - 2));
        if (dNorm == null) dNorm = DiscriminatorNorm.BATCH;
    }

    /** DCGAN's G and D: transposed convolutions and a batch-normalised D. */
    public ModelConfig(String name, String description, int imageSize, int zDim, int ngf, int ndf, int nef, int kernel,
                       int dHidden) {
        this(name, description, imageSize, zDim, ngf, ndf, nef, kernel, dHidden, null, null, false, false, false, 0);
    }

    /** The same architecture with G's layers doubling the image as {@code spec} says ({@link Upsampling}). */
    public ModelConfig withUpsample(String spec) {
        return withOptions(spec, dNorm, dMinibatchStddev, dThumbnail, gSkip, gTopChannels);
    }

    /** The same architecture with D normalised by {@code norm}. */
    public ModelConfig withDNorm(DiscriminatorNorm norm) {
        return withOptions(upsample, norm, dMinibatchStddev, dThumbnail, gSkip, gTopChannels);
    }

    /** The same architecture with or without D's minibatch standard deviation feature. */
    public ModelConfig withMinibatchStddev(boolean on) {
        return withOptions(upsample, dNorm, on, dThumbnail, gSkip, gTopChannels);
    }

    /** The same architecture with or without D's 4x4 thumbnail input. */
    public ModelConfig withThumbnail(boolean on) {
        return withOptions(upsample, dNorm, dMinibatchStddev, on, gSkip, gTopChannels);
    }

    /** The same architecture with or without G's skip from its 4x4 seed to its output. */
    public ModelConfig withGeneratorSkip(boolean on) {
        return withOptions(upsample, dNorm, dMinibatchStddev, dThumbnail, on, gTopChannels);
    }

    /** The same architecture with a hidden layer of {@code channels} at full resolution in G (0: none). */
    public ModelConfig withGeneratorTop(int channels) {
        return withOptions(upsample, dNorm, dMinibatchStddev, dThumbnail, gSkip, channels);
    }

    /** The same sizes with other options (validated as any config). */
    private ModelConfig withOptions(String upsampleSpec, DiscriminatorNorm norm, boolean stddev, boolean thumbnail,
                                    boolean skip, int top) {
        return new ModelConfig(name, description, imageSize, zDim, ngf, ndf, nef, kernel, dHidden, upsampleSpec, norm,
                stddev, thumbnail, skip, top);
    }

    /** How each of G's {@link #stages} layers doubles the image, from the 4x4 seed outwards (the RGB or top layer last). */
    public java.util.List<Upsampling> upsampleLayers() {
        return Upsampling.layers(upsample, stages());
    }

    public boolean spectralD() {
        return dNorm == DiscriminatorNorm.SPECTRAL;
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be in [" + min + ", " + max + "], found " + value);
        }
    }

    /** Number of stride-2 stages between 4x4 and S x S. */
    public int stages() {
        return Integer.numberOfTrailingZeros(imageSize) - 2;
    }

    /**
     * Loads a preset by name ({@code faces32}) or a JSON file by path.
     *
     * @throws IllegalArgumentException naming the preset or file and what was wrong with it
     */
    public static ModelConfig load(String presetOrFile) {
        Path file = Path.of(presetOrFile);
        if (presetOrFile.endsWith(".json") || Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("model file " + file + " does not exist");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return parse(in, file.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read model file " + file + ": " + e.getMessage(), e);
            }
        }
        try (InputStream in = ModelConfig.class.getResourceAsStream("/models/" + presetOrFile + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("unknown model preset '" + presetOrFile
                        + "': expected one of " + String.join(", ", PRESETS) + " or a path to a .json file");
            }
            return parse(in, "preset " + presetOrFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read preset " + presetOrFile + ": " + e.getMessage(), e);
        }
    }

    private static ModelConfig parse(InputStream in, String source) throws IOException {
        try {
            return JSON.readValue(in, ModelConfig.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("invalid " + source + ": " + firstLine(cause.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
