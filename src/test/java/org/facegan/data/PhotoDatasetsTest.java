package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The photo loaders on fixtures written in the datasets' own on-disk layouts. */
class PhotoDatasetsTest {
    static final int COUNT = 40;

    @TempDir
    static Path tmp;
    static Path celeba;

    @BeforeAll
    static void writeCelebaFixture() {
        celeba = tmp.resolve("celeba");
        CelebaLayout.writeSynthetic(celeba, COUNT, 64, 9, n -> {});
    }

    @Test
    void celebaLoadsEveryListedImageWithItsAttributes() {
        PackedDataset all = CelebaDataset.open(celeba, Split.ALL, 64, 32, null, n -> {});
        CelebaAttributes table = CelebaLayout.readAttributes(celeba);
        assertThat(all.size()).isEqualTo(COUNT);
        assertThat(all.imageSize()).isEqualTo(32);
        assertThat(all.attributeNames()).isEqualTo(table.names());
        for (int i = 0; i < COUNT; i++) assertThat(all.attributes(i)).containsExactly(table.values()[i]);

        // the pixels are the synthetic faces (JPEG'd at 64 px, resized to 32): close to the same faces drawn at 32
        SyntheticDataset drawn = new SyntheticDataset(9, 32, COUNT);
        float[] a = new float[32 * 32 * 3], b = new float[32 * 32 * 3];
        double diff = 0;
        for (int i = 0; i < COUNT; i++) {
            all.image(i, a, 0);
            drawn.image(i, b, 0);
            for (int k = 0; k < a.length; k++) diff += Math.abs(a[k] - b[k]);
        }
        // a claim that these are the same faces, in order: not a rounding, since drawing at 64 px and averaging down
        // differs from drawing at 32 px along every edge. Measured 0.006 (under a level); each face against the next
        // one measures 0.45
        assertThat(diff / (COUNT * a.length)).isLessThan(0.08);
    }

    @Test
    void celebaSplitTakesItsPartitionOnly() {
        Map<String, Integer> partition = CelebaLayout.readPartition(celeba);
        long training = partition.values().stream().filter(c -> c == CelebaLayout.TRAIN).count();
        assertThat(CelebaDataset.open(celeba, Split.TRAIN, 64, 32, null, n -> {}).size()).isEqualTo((int) training);
    }

    @Test
    void celebaProblemsNameTheFile() throws Exception {
        assertThatThrownBy(() -> CelebaDataset.open(celeba, Split.ALL, 108, 32, null, n -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(celeba.toAbsolutePath().toString())
                .hasMessageContaining(".jpg: 64x64 px is smaller than the 108 px crop");

        Path broken = tmp.resolve("broken");
        CelebaLayout.writeSynthetic(broken, 6, 64, 3, n -> {});
        Path images = broken.resolve(CelebaLayout.IMAGES_DIR);
        Files.delete(images.resolve("000002.jpg"));
        assertThatThrownBy(() -> CelebaDataset.open(broken, Split.ALL, 0, 32, null, n -> {}))
                .hasMessageContaining("000002.jpg").hasMessageContaining("missing");
        Files.write(images.resolve("000002.jpg"), new byte[0]);
        assertThatThrownBy(() -> CelebaDataset.open(broken, Split.ALL, 0, 32, null, n -> {}))
                .hasMessageContaining("000002.jpg").hasMessageContaining("empty");
        byte[] jpeg = Files.readAllBytes(images.resolve("000003.jpg"));
        Files.write(images.resolve("000002.jpg"), java.util.Arrays.copyOf(jpeg, 20));
        assertThatThrownBy(() -> CelebaDataset.open(broken, Split.ALL, 0, 32, null, n -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("000002.jpg");
    }

    @Test
    void secondLoadMapsTheCacheAndAChangedPhotoOrCropMissesIt() throws Exception {
        FaceCache cache = new FaceCache(tmp.resolve("cache"));
        PackedDataset first = CelebaDataset.open(celeba, Split.ALL, 64, 32, cache, n -> {});
        List<Path> files = new java.util.ArrayList<>();
        for (String f : CelebaLayout.readAttributes(celeba).files()) files.add(celeba.resolve(CelebaLayout.IMAGES_DIR).resolve(f));
        Path cacheFile = cache.file(FaceCache.key(files, 64, 32));
        assertThat(cacheFile).exists();
        assertThat(Files.size(cacheFile)).isEqualTo(32 + (long) COUNT * 32 * 32 * 3);

        // same length and time, scrambled JPEG data: a cache hit still shows the first pixels, which proves it was used
        Path photo = files.get(0);
        var time = Files.getLastModifiedTime(photo);
        byte[] original = Files.readAllBytes(photo);
        byte[] scrambled = original.clone();
        for (int i = original.length / 2; i < original.length / 2 + 64; i++) scrambled[i] ^= 0x55;
        Files.write(photo, scrambled);
        Files.setLastModifiedTime(photo, time);
        float[] a = new float[32 * 32 * 3], b = new float[32 * 32 * 3];
        CelebaDataset.open(celeba, Split.ALL, 64, 32, cache, n -> {}).image(0, a, 0);
        first.image(0, b, 0);
        assertThat(a).containsExactly(b);
        Files.write(photo, original);
        Files.setLastModifiedTime(photo, time);

        // another crop is another key; a truncated cache file is not used (and is rewritten)
        CelebaDataset.open(celeba, Split.ALL, 60, 32, cache, n -> {});
        assertThat(cache.file(FaceCache.key(files, 60, 32))).exists();
        Files.write(cacheFile, java.util.Arrays.copyOf(Files.readAllBytes(cacheFile), 100));
        assertThat(cache.read(FaceCache.key(files, 64, 32), COUNT, 32)).isEmpty();
        CelebaDataset.open(celeba, Split.ALL, 64, 32, cache, n -> {}).image(0, a, 0);
        assertThat(a).containsExactly(b);
        assertThat(Files.size(cacheFile)).isEqualTo(32 + (long) COUNT * 32 * 32 * 3);
    }

    @Test
    void folderReadsAnyImageTypeAndMapsSignColumnsToBinary() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("folder"));
        write(dir.resolve("gray.png"), new BufferedImage(40, 50, BufferedImage.TYPE_BYTE_GRAY));
        write(dir.resolve("palette.png"), new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_INDEXED));
        write(dir.resolve("deep.png"), new BufferedImage(64, 40, BufferedImage.TYPE_USHORT_GRAY));
        BufferedImage red = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        for (int x = 0; x < 32; x++) for (int y = 0; y < 32; y++) red.setRGB(x, y, 0xffff0000);
        write(dir.resolve("alpha.png"), red);
        Files.writeString(dir.resolve("attributes.csv"),
                "file,Smiling,Age\ngray.png,-1,31.5\npalette.png,1,20\ndeep.png,1,44\nalpha.png,-1,8\n");

        PackedDataset faces = FolderDataset.open(dir, 0, 32, null, n -> {});
        assertThat(faces.attributeNames()).containsExactly("Smiling", "Age");
        assertThat(faces.attributes(0)).containsExactly(0f, 31.5f);
        assertThat(faces.attributes(1)).containsExactly(1f, 20f);
        float[] pixels = new float[32 * 32 * 3];
        faces.image(3, pixels, 0);
        assertThat(pixels[0]).isEqualTo(1f);   // red channel of the opaque red image
        assertThat(pixels[1]).isEqualTo(-1f);

        Files.writeString(dir.resolve("attributes.csv"), "file,Smiling\ngray.png,1\npalette.png\n");
        assertThatThrownBy(() -> FolderDataset.open(dir, 0, 32, null, n -> {}))
                .hasMessageContaining("attributes.csv:3").hasMessageContaining("expected 2 columns, found 1");
        Files.writeString(dir.resolve("attributes.csv"), "file,Smiling\ngray.png,1\ngray.png,-1\n");
        assertThatThrownBy(() -> FolderDataset.open(dir, 0, 32, null, n -> {})).hasMessageContaining("duplicate file gray.png");
        Files.writeString(dir.resolve("attributes.csv"), "file,Smiling\nnone.png,1\n");
        assertThatThrownBy(() -> FolderDataset.open(dir, 0, 32, null, n -> {})).hasMessageContaining("none.png: listed in").hasMessageContaining("missing");
    }

    @Test
    void cmykJpegIsReadAsRgb(@TempDir Path dir) throws Exception {
        // a 4-channel (CMYK) JPEG, as some photo tools write; whether its inks are stored inverted (Adobe's habit)
        // depends on the writer, so this checks that it decodes to a uniform 8-bit RGB picture, not its exact hue
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 40, 40, 4, null);
        for (int x = 0; x < 40; x++) for (int y = 0; y < 40; y++) cmyk.setPixel(x, y, new int[] {0, 200, 200, 0});
        Path file = dir.resolve("cmyk.jpg");
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (var out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        BufferedImage rgb = FaceImages.read(file);
        assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(rgb.getWidth()).isEqualTo(40);
        int centre = rgb.getRGB(20, 20);
        assertThat(rgb.getRGB(5, 5)).isEqualTo(centre);
        assertThat(rgb.getRGB(35, 30)).isEqualTo(centre);
        assertThat(FaceImages.cropAndResize(rgb, 0, 32, file.toString()).getRGB(16, 16)).isEqualTo(centre);
    }

    @Test
    void attributeSelectionKeepsTheOrderAskedForAndNamesUnknownOnes() {
        SyntheticDataset faces = new SyntheticDataset(0, 32, 5);
        FaceDataset two = AttributeSelection.of(faces, List.of("Smiling", "Male"));
        assertThat(two.attributeNames()).containsExactly("Smiling", "Male");
        float[] all = faces.attributes(3);
        assertThat(two.attributes(3)).containsExactly(all[1], all[0]);
        assertThatThrownBy(() -> AttributeSelection.of(faces, List.of("Smilng")))
                .hasMessageContaining("Smilng").hasMessageContaining("Male, Smiling");
    }

    @Test
    void dataSpecStringIsCanonicalAndParsesBack() {
        for (String s : List.of("synthetic", "synthetic:500", "celeba:/data/c", "folder:/x/y,crop=20",
                "synthetic,attrs=Male;Smiling")) {
            DataSpec spec = DataSpec.parse(s);
            assertThat(DataSpec.parse(spec.toString())).isEqualTo(spec);
        }
        assertThat(DataSpec.parse("celeba:/data/c").toString()).isEqualTo("celeba:/data/c,split=train,crop=108");
        assertThatThrownBy(() -> DataSpec.parse("imagenet:/x")).hasMessageContaining("celeba:DIR");
    }

    private static void write(Path file, BufferedImage image) throws Exception {
        assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
    }
}
