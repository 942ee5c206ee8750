package org.facegan.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.data.DataSpec;
import org.facegan.data.FaceCache;
import org.facegan.data.FaceDataset;
import org.facegan.io.AtomicFiles;
import org.facegan.train.RunDirectory;
import org.facegan.train.StepDraws;
import org.facegan.train.YSampler;

/** {@code facegan bench input --data SPEC}: images/s of the first load, of a cached load, and of batch assembly. */
final class InputBench {
    private InputBench() {}

    static int run(DataSpec spec, int size, int batch) throws Exception {
        Path cacheDir = Files.createTempDirectory("facegan-bench-cache");
        try {
            FaceCache cache = new FaceCache(cacheDir);
            long t0 = System.nanoTime();
            FaceDataset first = spec.open(size, cache, n -> {});
            double firstSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            FaceDataset cached = spec.open(size, cache, n -> {});
            double cachedSeconds = (System.nanoTime() - t0) / 1e9;

            StepDraws draws = new StepDraws(cached, YSampler.of(YSampler.EMPIRICAL, cached, 1), batch, 100, 1);
            StepDraws.Batch b = draws.newBatch();
            int steps = Math.max(20, 4 * cached.size() / batch);
            for (int i = 0; i < 5; i++) draws.fill(i, b);
            t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) draws.fill(i, b);
            double batchSeconds = (System.nanoTime() - t0) / 1e9;

            ObjectNode out = RunDirectory.JSON.createObjectNode();
            out.put("tool", "facegan-input");
            out.put("data", spec.toString());
            out.put("size", size);
            out.put("images", first.size());
            out.put("first_load_images_per_s", Math.round(first.size() / firstSeconds));
            out.put("cached_load_images_per_s", Math.round(cached.size() / cachedSeconds));
            out.put("batch_images_per_s", Math.round((double) steps * batch / batchSeconds));
            System.out.println(RunDirectory.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return ExitCodes.OK;
        } finally {
            AtomicFiles.deleteQuietly(cacheDir);
        }
    }
}
