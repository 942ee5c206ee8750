package org.facegan.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.facegan.data.FaceDataset;
import org.facegan.export.RunExporter;
import org.facegan.testing.Fixtures;
import org.facegan.train.RunDirectory;
import org.facegan.train.SamplePng;
import org.facegan.train.TrainOptions;
import org.facegan.train.Trainer;
import org.facegan.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real write failures in the middle of a run: a tmpfs that fills up, and a checkpoint directory that becomes
 * read-only (a read-only bind mount, which holds even for root). Each must stop training with a clear error naming
 * what could not be written, leave the previous checkpoint as the latest, leave no partial file behind, and let the
 * run resume once the disk is fixed.
 */
class DiskFailureTest {
    private static final FaceDataset DATA = Fixtures.noiseFaces(16, 32, 2);
    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (int i = mounts.size() - 1; i >= 0; i--) sh("umount", "-l", mounts.get(i).toString());
    }

    private static TrainOptions options(long steps, long sampleEvery, long checkpointEvery) {
        return Fixtures.options("noise", Fixtures.TINY, steps, 1).toBuilder().sampleEvery(sampleEvery)
                .checkpointEvery(checkpointEvery).build();
    }

    private void mount(String... args) throws Exception {
        int code = sh(args);
        Assumptions.assumeTrue(code == 0, "mounting needs root (CAP_SYS_ADMIN): " + String.join(" ", args));
        mounts.add(Path.of(args[args.length - 1]));
    }

    /**
     * Skips the test, saying why, where a directory cannot be made read-only by a bind mount: tried on a scratch
     * directory before training, because a skip raised inside a training listener would reach the test as the
     * listener's failure.
     */
    private void assumeReadOnlyBindMounts(Path scratch) throws Exception {
        Files.createDirectories(scratch);
        mount("mount", "--bind", scratch.toString(), scratch.toString());
        mount("mount", "-o", "remount,bind,ro", scratch.toString());
        unmount();
        mounts.clear();
    }

    /** A mount that the test needs and that this machine can make: its failure fails the test. */
    private void mountOrFail(String... args) throws Exception {
        assertThat(sh(args)).as(String.join(" ", args)).isZero();
        mounts.add(Path.of(args[args.length - 1]));
    }

    private static int sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** Writes {@code file} until the file system has no space left. */
    private static void fill(Path file) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(block);
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left");
        }
    }

    /** Calls {@code action} once, after the first checkpoint is written. */
    private static TrainingListener afterFirstCheckpoint(ThrowingRunnable action) {
        return new TrainingListener() {
            boolean done;
            @Override public void checkpointed(long step, Path dir) {
                if (done) return;
                done = true;
                try {
                    action.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Hidden temporary entries (the only names half-written files ever have) under {@code root}. */
    private static List<Path> leftovers(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().contains(".tmp"))
                    .toList();
        }
    }

    @Test
    void aFullDiskAtACheckpointKeepsThePreviousOneAndTheRunResumesOnceSpaceIsFreed(@TempDir Path tmp) throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        mount("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString());
        RunDirectory run = new RunDirectory(disk.resolve("run"));
        Path filler = disk.resolve("filler");
        Trainer trainer = new Trainer(options(6, 1000, 2), DATA, run, new SamplePng());

        assertThatThrownBy(() -> trainer.train(afterFirstCheckpoint(() -> fill(filler))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write the step-4 checkpoint")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("latest complete checkpoint is unchanged");
        assertThat(run.checkpoints(3).latest().orElseThrow().step()).isEqualTo(2);
        assertThat(leftovers(run.root())).isEmpty();

        Files.delete(filler);
        assertThat(new Trainer(options(6, 1000, 2), DATA, run, new SamplePng()).train(TrainingListener.NONE).step())
                .isEqualTo(6);
    }

    @Test
    void aFullDiskAtASampleGridStopsBeforeTheNextCheckpointAndLeavesNoPartialPng(@TempDir Path tmp) throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        mount("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString());
        RunDirectory run = new RunDirectory(disk.resolve("run"));
        Path filler = disk.resolve("filler");
        Trainer trainer = new Trainer(options(6, 4, 2), DATA, run, new SamplePng());

        assertThatThrownBy(() -> trainer.train(afterFirstCheckpoint(() -> fill(filler))))
                .hasMessageContaining("step-000004.png")
                .hasMessageContaining("No space left on device");
        assertThat(run.checkpoints(3).latest().orElseThrow().step()).isEqualTo(2);
        assertThat(run.sampleFile(4)).doesNotExist();
        assertThat(leftovers(run.root())).isEmpty();
    }

    @Test
    void aCheckpointDirectoryTurnedReadOnlyMidRunKeepsThePreviousCheckpoint(@TempDir Path tmp) throws Exception {
        assumeReadOnlyBindMounts(tmp.resolve("probe"));
        RunDirectory run = new RunDirectory(tmp.resolve("run"));
        Path checkpoints = run.checkpoints(3).dir();
        Trainer trainer = new Trainer(options(6, 1000, 2), DATA, run, new SamplePng());

        assertThatThrownBy(() -> trainer.train(afterFirstCheckpoint(() -> {
            mountOrFail("mount", "--bind", checkpoints.toString(), checkpoints.toString());
            mountOrFail("mount", "-o", "remount,bind,ro", checkpoints.toString());
        }))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write the step-4 checkpoint")
                .hasMessageContaining("Read-only file system");
        assertThat(run.checkpoints(3).latest().orElseThrow().step()).isEqualTo(2);

        unmount();
        mounts.clear();
        assertThat(leftovers(run.root())).isEmpty();
        assertThat(new Trainer(options(6, 1000, 2), DATA, run, new SamplePng()).train(TrainingListener.NONE).step())
                .isEqualTo(6);
    }

    @Test
    void anExportToAFullDiskFailsClearlyAndLeavesNoVersionBehind(@TempDir Path tmp) throws Exception {
        RunDirectory run = new RunDirectory(tmp.resolve("run"));
        var last = new Trainer(options(2, 1000, 2), DATA, run, new SamplePng()).train(TrainingListener.NONE);
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        mount("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString());
        Path base = disk.resolve("export");
        fill(disk.resolve("filler"));

        assertThatThrownBy(() -> RunExporter.export(run, last, base, 1))
                .hasMessageContaining("No space left on device");
        assertThat(base.resolve("1")).doesNotExist();
        assertThat(leftovers(disk)).isEmpty();
    }
}
