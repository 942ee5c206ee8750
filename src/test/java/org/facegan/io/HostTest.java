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
}
