package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in faces are packed into the face cache on first use and mapped from it afterwards: the same pixels,
 * attributes and factors as rendering them, and a pack is never reused for another seed, size or count.
 */
class SyntheticPackTest {
    @Test
    void firstUsePacksLaterUsesMapTheSameFaces(@TempDir Path dir) throws Exception {
        FaceCache cache = new FaceCache(dir);
        SyntheticDataset rendered = new SyntheticDataset(3, 32, 12);
        SyntheticDataset first = new SyntheticDataset(3, 32, 12, cache, done -> {});
        Path pack = cache.file(SyntheticDataset.key(3, 32, 12));
        assertThat(pack).isRegularFile();
        long written = Files.getLastModifiedTime(pack).toMillis();
        int[] progress = {0};
        SyntheticDataset mapped = new SyntheticDataset(3, 32, 12, cache, done -> progress[0] = done);
        assertThat(progress[0]).isEqualTo(12);
        assertThat(Files.getLastModifiedTime(pack).toMillis()).isEqualTo(written); // read, not rewritten
        for (SyntheticDataset d : List.of(first, mapped)) assertSameFaces(rendered, d);
    }

    @Test
    void anotherSeedSizeOrCountGetsAnotherPack(@TempDir Path dir) throws Exception {
        Set<String> keys = new HashSet<>(List.of(SyntheticDataset.key(3, 32, 12), SyntheticDataset.key(4, 32, 12),
                SyntheticDataset.key(3, 64, 12), SyntheticDataset.key(3, 32, 13)));
        assertThat(keys).hasSize(4);
        FaceCache cache = new FaceCache(dir);
        new SyntheticDataset(3, 32, 12, cache, done -> {});
        SyntheticDataset other = new SyntheticDataset(4, 32, 12, cache, done -> {});
        assertSameFaces(new SyntheticDataset(4, 32, 12), other);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".faces")).count()).isEqualTo(2);
        }
    }

    @Test
    void aTruncatedPackIsRenderedAgain(@TempDir Path dir) throws Exception {
        FaceCache cache = new FaceCache(dir);
        new SyntheticDataset(3, 32, 6, cache, done -> {});
        Path pack = cache.file(SyntheticDataset.key(3, 32, 6));
        byte[] bytes = Files.readAllBytes(pack);
        Files.write(pack, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertSameFaces(new SyntheticDataset(3, 32, 6), new SyntheticDataset(3, 32, 6, cache, done -> {}));
        assertThat(Files.size(pack)).isEqualTo(bytes.length); // and packed again
    }

    private static void assertSameFaces(SyntheticDataset expected, SyntheticDataset actual) {
        assertThat(actual.size()).isEqualTo(expected.size());
        int n = expected.imageSize() * expected.imageSize() * 3;
        for (int i = 0; i < expected.size(); i++) {
            float[] a = new float[n], b = new float[n];
            expected.image(i, a, 0);
            actual.image(i, b, 0);
            assertThat(b).as("face %d", i).containsExactly(a);
            assertThat(actual.attributes(i)).containsExactly(expected.attributes(i));
            assertThat(actual.factors(i)).containsExactly(expected.factors(i));
        }
    }
}
