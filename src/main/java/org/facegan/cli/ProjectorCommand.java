package org.facegan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.facegan.data.DataSpec;
import org.facegan.data.FaceDataset;
import org.facegan.export.InferenceGraph;
import org.facegan.export.Projector;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan projector}: E(x) of dataset faces and the z of generated faces, for TensorBoard's projector. */
@Command(name = "projector", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a run's latent space for TensorBoard's embedding projector.",
                "E(x) of the first COUNT dataset faces, and the z of COUNT generated faces (coloured by their y), with metadata.tsv (every attribute), square sprites and projector_config.pbtxt.",
                "View: scripts/tensorboard.sh OUT (or tensorboard --logdir OUT), tab PROJECTOR."},
        footer = {"", "Example:", "  facegan projector --run runs/faces32-synthetic --count 500"})
public final class ProjectorCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Dataset: synthetic[:COUNT]. Default: the run's own dataset.")
    String data;

    @Option(names = "--count", defaultValue = "2000",
            description = "Dataset faces to encode, and faces to generate. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the generated faces' z. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: RUN/projector.")
    Path out;

    @Override
    public Integer call() {
        if (count < 1) throw new IllegalArgumentException("--count must be at least 1, found " + count);
        RunDirectory runDirectory = run.open();
        RunDirectory.RunRecord record = runDirectory.read();
        DataSpec spec = DataSpec.parse(data != null ? data : record.options().data());
        Checkpoints.Checkpoint checkpoint = run.checkpoint(runDirectory);
        int size = record.options().model().imageSize();
        FaceDataset dataset;
        try (var bar = Progress.bar("faces", spec.describe(), spec.expectedImages() < 0 ? -1 : count, 0)) {
            dataset = spec.openFirst(count, size, bar::stepTo);
        }
        if (!dataset.attributeNames().equals(record.attributes())) {
            throw new IllegalArgumentException("--data " + spec + ": attributes " + dataset.attributeNames()
                    + " differ from the run's " + record.attributes());
        }
        Path dir = out != null ? out : runDirectory.root().resolve("projector");
        Projector.Written w;
        try (InferenceGraph g = InferenceGraph.restore(record.options().model(), record.attributes().size(),
                record.options().averagesGenerator(), checkpoint.prefix(), 0)) {
            w = Projector.write(g, dataset, count, seed, checkpoint.step(), dir);
        }
        System.out.println("wrote 2 embeddings of " + w.count() + " points (step " + checkpoint.step() + ") to " + dir
                + ": sprites " + w.spriteSide() + " px, thumbnails " + w.thumbnail() + " px");
        return ExitCodes.OK;
    }
}
