package org.facegan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.facegan.export.RunExporter;
import org.facegan.io.AtomicFiles;
import org.facegan.export.SavedModelExport;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import org.facegan.train.RunLock;
import org.facegan.train.TrainOptions;

/**
 * {@code facegan train} run again on a finished run: nothing is left to train, so neither the dataset nor the training
 * graph is needed. The last checkpoint is exported unless a version under the export directory already holds it.
 */
final class FinishedRun {
    private FinishedRun() {}

    /**
     * Finishes a run whose latest checkpoint is at {@code options.steps()}, printing what train prints at its end.
     *
     * @return false when the run is not finished (train must run)
     */
    static boolean finish(RunDirectory run, TrainOptions options, Path exportBase) {
        if (!run.exists()) return false;
        Checkpoints.Checkpoint last;
        try (RunLock lock = RunLock.acquire(run.root())) { // refused while another train works on the run
            Optional<Checkpoints.Checkpoint> latest = run.checkpoints(options.keepCheckpoints()).latest();
            if (latest.isEmpty() || latest.get().step() < options.steps()) return false;
            last = latest.get();
            // what a process killed after its last checkpoint left half written, as the trainer clears it
            for (Path dir : new Path[] {run.root(), run.samplesDir(), run.root().resolve("checkpoints")}) {
                AtomicFiles.removeLeftovers(dir);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot clean " + run.root() + ": " + e.getMessage(), e);
        }
        System.out.println("run: " + run.root() + " (step " + last.step() + ", checkpoint " + last.dir() + "; finished before)");
        if (exportBase == null) return true;
        Optional<Path> done = exported(run, last, exportBase);
        if (done.isPresent()) {
            System.out.println("exported: " + done.get() + " (before)");
        } else {
            System.out.println("exported: " + RunExporter.export(run, last, exportBase, SavedModelExport.nextVersion(exportBase)));
        }
        return true;
    }

    /** The newest version under {@code base} exported from this run's {@code checkpoint}, by its provenance.json. */
    static Optional<Path> exported(RunDirectory run, Checkpoints.Checkpoint checkpoint, Path base) {
        if (!Files.isDirectory(base)) return Optional.empty();
        String root = run.root().toAbsolutePath().toString();
        try (Stream<Path> versions = Files.list(base)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingLong((Path v) -> Long.parseLong(v.getFileName().toString())).reversed())
                    .filter(v -> {
                        try {
                            JsonNode p = RunDirectory.JSON.readTree(v.resolve(RunExporter.PROVENANCE).toFile());
                            return root.equals(p.path("run").asText()) && p.path("step").asLong(-1) == checkpoint.step()
                                    && checkpoint.dir().getFileName().toString().equals(p.path("checkpoint").asText());
                        } catch (IOException e) {
                            return false; // not one of ours, or unreadable: export anew
                        }
                    })
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
