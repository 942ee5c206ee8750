package org.facegan.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processor underneath, as /proc/cpuinfo describes it. The same machine kind lands on an Intel Xeon one day and
 * an AMD EPYC the next, with timings 0.6× apart, so every figure carries this. Some hosts name the model only
 * "AMD EPYC": the family, model and stepping numbers tell those apart.
 *
 * @param vendor e.g. GenuineIntel, AuthenticAMD ("unknown" where /proc/cpuinfo is not there)
 * @param model the "model name" line, e.g. "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz"
 * @param family CPU family, model and stepping numbers, "family 25 model 17 stepping 1" ("" where unknown)
 * @param cores logical processors this process may use
 * @param isa the vector extensions that decide oneDNN's kernels, in order of appearance (avx2, avx512f, ...)
 */
public record Host(String vendor, String model, String family, int cores, List<String> isa) {
    /** The extensions worth naming: those oneDNN's CPU dispatch looks at, widest last. */
    private static final List<String> NAMED_ISA = List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_int8", "amx_fp16");

    private static volatile Host current;

    /** This machine, read once. */
    public static Host current() {
        Host host = current;
        if (host == null) current = host = read(Path.of("/proc/cpuinfo"));
        return host;
    }

    /** Reads the first processor's entry of a /proc/cpuinfo file; a missing file gives "unknown" fields. */
    static Host read(Path cpuinfo) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.isBlank() && !fields.isEmpty()) break; // the first processor's block only
                int colon = line.indexOf(':');
                if (colon > 0) fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        } catch (IOException e) {
            // not Linux: the fields stay unknown
        }
        Set<String> flags = Set.of(fields.getOrDefault("flags", "").split("\\s+"));
        List<String> isa = new ArrayList<>();
        for (String name : NAMED_ISA) if (flags.contains(name)) isa.add(name);
        String family = fields.containsKey("cpu family")
                ? "family " + fields.get("cpu family") + " model " + fields.getOrDefault("model", "?")
                        + " stepping " + fields.getOrDefault("stepping", "?")
                : "";
        return new Host(fields.getOrDefault("vendor_id", "unknown"), fields.getOrDefault("model name", "unknown"),
                family, Runtime.getRuntime().availableProcessors(), List.copyOf(isa));
    }

    /** One line for humans: "AMD EPYC (AuthenticAMD family 25 model 17 stepping 1), 2 cores, avx2 ... avx512_bf16". */
    public String describe() {
        return model + " (" + vendor + (family.isEmpty() ? "" : " " + family) + "), " + cores + " cores, "
                + (isa.isEmpty() ? "no AVX" : String.join(" ", isa));
    }

    /**
     * A short key that tells processors apart for caches of per-host choices (autotuned layer forms): vendor, model
     * name, family numbers and ISA, with anything but letters, digits, dots and dashes made a dash.
     */
    public String key() {
        return (vendor + "-" + model + "-" + family + "-" + String.join("-", isa)).replaceAll("[^A-Za-z0-9.]+", "-");
    }
}
