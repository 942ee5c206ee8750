package org.facegan.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.facegan.io.AtomicFiles;
import org.tensorflow.Session;

/**
 * The run's checkpoints: {@code checkpoints/step-00000500/model.{index,data-*}}, holding every variable of the
 * training graph (weights, batch-norm statistics, Adam's slots). A checkpoint is written under a temporary name
 * and renamed into place when complete, so a directory named step-N is always whole; leftovers of an interrupted
 * write are removed on the next save.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("step-(\\d{8})");
    private static final String PREFIX = "model";
    /** Name prefix of checkpoints taken after training diverged. */
    public static final String DIVERGED_PREFIX = "diverged-";

    private final Path dir;
    private final int keep;

    /** A complete checkpoint on disk. */
    public record Checkpoint(Path dir, long step) {
        /** The prefix that {@link Session#restore} expects. */
        public String prefix() {
            return dir.resolve(PREFIX).toString();
        }
    }

    public Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    /** Complete checkpoints, oldest first. */
    public List<Checkpoint> list() {
        if (!Files.isDirectory(dir)) return List.of();
        List<Checkpoint> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p.resolve(PREFIX + ".index"))) {
                    found.add(new Checkpoint(p, Long.parseLong(m.group(1))));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
        found.sort(Comparator.comparingLong(Checkpoint::step));
        return found;
    }

    public Optional<Checkpoint> latest() {
        List<Checkpoint> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Saves every variable of the session's graph as the checkpoint of {@code step}, then prunes old ones. */
    public Checkpoint save(Session session, long step) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.removeLeftovers(dir); // a checkpoint write that was interrupted (only the trainer writes here)
            Path target = dir.resolve(String.format("step-%08d", step));
            Path temp = dir.resolve(".tmp-" + target.getFileName());
            try {
                Files.createDirectories(temp);
                session.save(temp.resolve(PREFIX).toString());
            } catch (IOException | RuntimeException e) { // TensorFlow reports a full disk as its own exception
                AtomicFiles.deleteQuietly(temp);
                throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""), e);
            }
            AtomicFiles.deleteTree(target);
            AtomicFiles.moveIntoPlace(temp, target);
            prune();
            return new Checkpoint(target, step);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the step-" + step + " checkpoint under " + dir + ": "
                    + e.getMessage() + "; the latest complete checkpoint is unchanged", e);
        }
    }

    /**
     * Moves the checkpoints taken after {@code step} aside, to {@code diverged-step-N} (kept for inspection, never
     * resumed from or pruned), so that the latest checkpoint is the last good one; returns how many were moved.
     */
    public int setAsideAfter(long step) {
        int moved = 0;
        try {
            for (Checkpoint c : list()) {
                if (c.step() <= step) continue;
                Path aside = dir.resolve(DIVERGED_PREFIX + c.dir().getFileName());
                AtomicFiles.deleteTree(aside);
                AtomicFiles.moveIntoPlace(c.dir(), aside);
                moved++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set diverged checkpoints aside in " + dir + ": " + e.getMessage(), e);
        }
        return moved;
    }

    /** The checkpoint with the best periodic evaluation so far: {@code checkpoints/best/}, with its step and scores. */
    /** @param pickedBy the distance whose lowest value picked it (see {@link PeriodicEval#bestBy}) */
    public record Best(Checkpoint checkpoint, PeriodicEval.Score score, String pickedBy) {}

    private static final String BEST = "best", BEST_INFO = "best.json";

    /** Saves the session as {@code checkpoints/best/} (replacing the previous best atomically), with its scores. */
    public Best saveBest(Session session, long step, PeriodicEval.Score score, String pickedBy) {
        Path target = dir.resolve(BEST), temp = dir.resolve(".tmp-" + BEST);
        try {
            Files.createDirectories(dir);
            AtomicFiles.deleteTree(temp);
            try {
                Files.createDirectories(temp);
                session.save(temp.resolve(PREFIX).toString());
                Files.write(temp.resolve(BEST_INFO), RunDirectory.JSON.writeValueAsBytes(new BestInfo(step, score, pickedBy)));
            } catch (IOException | RuntimeException e) {
                AtomicFiles.deleteQuietly(temp);
                throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""), e);
            }
            // two renames: a kill between them leaves no best/, never a half-written one
            Path old = dir.resolve(".tmp-old-" + BEST);
            if (Files.exists(target)) AtomicFiles.moveIntoPlace(target, old);
            AtomicFiles.moveIntoPlace(temp, target);
            AtomicFiles.deleteTree(old);
            return new Best(new Checkpoint(target, step), score, pickedBy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the best checkpoint under " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The best checkpoint, when a periodic evaluation has saved one. */
    public java.util.Optional<Best> best() {
        Path info = dir.resolve(BEST).resolve(BEST_INFO);
        if (!Files.isRegularFile(info) || !Files.isRegularFile(dir.resolve(BEST).resolve(PREFIX + ".index"))) {
            return Optional.empty();
        }
        try {
            BestInfo b = RunDirectory.JSON.readValue(info.toFile(), BestInfo.class);
            return Optional.of(new Best(new Checkpoint(dir.resolve(BEST), b.step()), b.score(),
                    b.pickedBy() == null ? PeriodicEval.FRECHET_CLASSIFIER : b.pickedBy()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + info + ": " + e.getMessage(), e);
        }
    }

    private record BestInfo(long step, PeriodicEval.Score score, String pickedBy) {}

    public void restore(Session session, Checkpoint checkpoint) {
        session.restore(checkpoint.prefix());
    }

    private void prune() throws IOException {
        List<Checkpoint> all = list();
        for (int i = 0; i < all.size() - keep; i++) AtomicFiles.deleteTree(all.get(i).dir());
    }
}
