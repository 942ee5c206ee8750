package org.facegan.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTest {
    @TempDir Path dir;

    private Host parse(String cpuinfo) throws IOException {
        Path file = dir.resolve("cpuinfo");
        Files.writeString(file, cpuinfo);
        return Host.read(file);
    }

    @Test
    void readsTheFirstProcessorsVendorModelFamilyAndIsa() throws IOException {
        Host host = parse("""
                processor\t: 0
                vendor_id\t: AuthenticAMD
                cpu family\t: 26
                model\t\t: 2
                model name\t: AMD EPYC
                stepping\t: 1
                flags\t\t: fpu sse avx2 fma avx512f avx512_bf16 avx512_vnni

                processor\t: 1
                vendor_id\t: GenuineIntel
                model name\t: something else
                """);
        assertEquals("AuthenticAMD", host.vendor());
        assertEquals("AMD EPYC", host.model());
        assertEquals("family 26 model 2 stepping 1", host.family());
        assertEquals(List.of("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16"), host.isa());
        assertTrue(host.describe().startsWith("AMD EPYC (AuthenticAMD family 26 model 2 stepping 1), "),
                host.describe());
        assertTrue(host.key().matches("[A-Za-z0-9.-]+"), host.key());
    }

    @Test
    void processorsThatShareAModelNameDifferInTheirKey() throws IOException {
        String epyc = "vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\ncpu family\t: %s\nmodel\t: 1\nstepping\t: 0\n";
        assertNotEquals(parse(epyc.formatted("25")).key(), parse(epyc.formatted("26")).key());
    }

    @Test
    void aMissingFileGivesUnknownFields() {
        Host host = Host.read(dir.resolve("absent"));
        assertEquals("unknown", host.vendor());
        assertEquals("", host.family());
        assertTrue(host.isa().isEmpty());
        assertFalse(host.describe().isEmpty());
    }

    @Test
    void readsOnednnsVersionIsaAndTheGpusFromTheProbesOutput() {
        Host.Native n = Host.parseProbe("""
                WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
                onednn_verbose,info,oneDNN v3.5.0 (commit N/A)
                onednn_verbose,info,cpu,runtime:threadpool,nthr:1
                onednn_verbose,info,cpu,isa:Intel AVX-512 with Intel DL Boost and bfloat16 support
                onednn_verbose,primitive,exec,cpu,gemm_api,,undef,src_f32::blocked:ab:f0,,,64x36:36x8,73.5
                device\tCPU\t/job:localhost/replica:0/task:0/device:CPU:0\t268435456
                device\tGPU\t/job:localhost/replica:0/task:0/device:GPU:0\t85899345920
                """, "2.18.0");
        assertEquals("2.18.0", n.tensorflow());
        assertEquals("3.5.0", n.onednn());
        assertEquals("Intel AVX-512 with Intel DL Boost and bfloat16 support", n.onednnIsa());
        assertEquals(List.of("GPU:0 (81920 MiB)"), n.gpus());
        assertEquals(new Host.Native("2.18.0", "unknown", "unknown", List.of()), Host.parseProbe("", "2.18.0"));
    }

    @Test
    void theCacheIsReadWhenWholeAndIgnoredWhenCorrupt() throws IOException {
        Path entry = dir.resolve("entry.properties");
        Files.writeString(entry, "tensorflow=2.18.0\nonednn=3.5.0\nonednn_isa=Intel AVX2\ngpus=\n");
        assertEquals(new Host.Native("2.18.0", "3.5.0", "Intel AVX2", List.of()), Host.readCached(entry));
        Files.writeString(entry, "tensorflow=2.18.0\nonednn=3.5.0\nonednn_isa=Intel AVX2\ngpus=GPU:0 (80 MiB);GPU:1 (80 MiB)\n");
        assertEquals(List.of("GPU:0 (80 MiB)", "GPU:1 (80 MiB)"), Host.readCached(entry).gpus());
        for (String corrupt : new String[] {"", "onednn=\u0000\u0001", "tensorflow=2.18.0\nonednn=v3\nonednn_isa=x\ngpus=\n",
                "tensorflow=2.18.0\nonednn=3.5.0\ngpus=\n", "onednn=3.5.0\nonednn_isa=Intel AVX2\ngpus=\n", "\\u12"}) {
            Files.writeString(entry, corrupt);
            assertEquals(null, Host.readCached(entry), corrupt);
        }
        assertEquals(null, Host.readCached(dir.resolve("absent")));
    }

    @Test
    void theRuntimeIsProbedOnceThenReadFromTheCache() throws IOException {
        Host host = Host.current();
        Host.Native probed = host.runtime(dir);
        assertTrue(probed.onednn().matches("\\d+\\.\\d+\\.\\d+"), probed.toString());
        assertFalse(probed.onednnIsa().equals("unknown"), probed.toString());
        assertTrue(probed.gpus().isEmpty() || probed.gpus().get(0).startsWith("GPU:"), probed.toString());
        List<Path> entries;
        try (var files = Files.list(dir.resolve("host"))) {
            entries = files.toList();
        }
        assertEquals(1, entries.size(), entries.toString());
        assertTrue(entries.get(0).getFileName().toString().startsWith(host.key() + "-tf"), entries.toString());
        // a second call reads the entry instead of probing: an edited entry is what it returns
        Files.writeString(entries.get(0), "tensorflow=2.18.0\nonednn=9.9.9\nonednn_isa=edited\ngpus=\n");
        long t0 = System.nanoTime();
        assertEquals("9.9.9", host.runtime(dir).onednn());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "a cached read takes no child JVM");
        // a corrupt entry is probed again and replaced
        Files.writeString(entries.get(0), "garbage");
        assertEquals(probed, host.runtime(dir));
        // keyed by TF Java's build instead: its own entry, holding TensorFlow's version
        Host.Native byBuild = host.runtime(dir, "tfjava1.1.0-linux-x86_64");
        assertEquals(probed, byBuild);
        assertTrue(Files.exists(dir.resolve("host").resolve(host.key() + "-tfjava1.1.0-linux-x86_64.properties")));
    }
}
