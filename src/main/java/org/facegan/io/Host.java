package org.facegan.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * What TensorFlow's native library does on this host: the oneDNN release it carries and the ISA oneDNN dispatches
     * on (neither is exported as a C symbol, so a child JVM prints them through {@code ONEDNN_VERBOSE=1}), and the
     * GPUs in TensorFlow's device list (none with the CPU build).
     *
     * @param tensorflow TensorFlow's version, e.g. 2.18.0
     * @param onednn oneDNN's version, e.g. 3.5.0 ("unknown" when the probe failed)
     * @param onednnIsa oneDNN's own words for its ISA, e.g. "Intel AVX-512 with Intel DL Boost and bfloat16 support"
     * @param gpus TensorFlow's GPU devices, e.g. "GPU:0 (80896 MiB)"; empty on the CPU build
     */
    public record Native(String tensorflow, String onednn, String onednnIsa, List<String> gpus) {
        public Native {
            gpus = List.copyOf(gpus);
        }
    }

    /** Longest wait for the probe's child JVM (it takes about 3 s). */
    static final long PROBE_TIMEOUT_SECONDS = 60;

    private static final Pattern ONEDNN_VERSION = Pattern.compile("(?:onednn|dnnl)_verbose,info,oneDNN v([0-9][0-9.]*)");
    private static final Pattern ONEDNN_ISA = Pattern.compile("(?:onednn|dnnl)_verbose,info,cpu,isa:(.+)");

    /** {@code $FACEGAN_CACHE}, else {@code ~/.cache/facegan}: where per-host findings are kept. */
    public static Path cacheDir() {
        String env = System.getenv("FACEGAN_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "facegan");
    }

    /**
     * This host's {@link Native}, from {@code cacheDir/host/KEY.properties} when an earlier call left it there (the
     * key is {@link #key()} and TensorFlow's version and native build), else probed once in a child JVM on this
     * process's class path and cached (written atomically; an entry that does not parse is probed again). A probe
     * that fails gives "unknown" fields and is not cached. Loads TensorFlow's native library to read its version.
     */
    public Native runtime(Path cacheDir) {
        return runtime(cacheDir, null);
    }

    /**
     * {@link #runtime(Path)}, keyed by {@code build} instead of TensorFlow's version read from the library.
     *
     * @param build TF Java's release and native classifier, e.g. "tfjava1.1.0-linux-x86_64", which fix TensorFlow's
     *     version: a cached answer then needs no native library loaded (facegan --version stays fast); null: key by
     *     the version the loaded library reports
     */
    public Native runtime(Path cacheDir, String build) {
        String tail = build != null ? build.replaceAll("[^A-Za-z0-9._-]+", "-")
                : "tf" + org.tensorflow.TensorFlow.version() + "-"
                        + (System.getProperty("java.class.path", "").contains("-gpu") ? "gpu" : "cpu");
        Path entry = cacheDir.resolve("host").resolve(key() + "-" + tail + ".properties");
        Native cached = readCached(entry);
        if (cached != null) return cached;
        String tensorflow = org.tensorflow.TensorFlow.version();
        String output = probe();
        Native found = parseProbe(output == null ? "" : output, tensorflow);
        if (output != null && !found.onednn().equals("unknown")) {
            try {
                Files.createDirectories(entry.getParent());
                Properties p = new Properties();
                p.setProperty("tensorflow", tensorflow);
                p.setProperty("onednn", found.onednn());
                p.setProperty("onednn_isa", found.onednnIsa());
                p.setProperty("gpus", String.join(";", found.gpus()));
                var text = new java.io.StringWriter();
                p.store(text, "facegan: what TensorFlow " + tensorflow + " does on " + describe());
                AtomicFiles.write(entry, text.toString().getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException | RuntimeException e) {
                // no cache: the next call probes again
            }
        }
        return found;
    }

    /** The cached entry, or null when it is missing or does not parse. */
    static Native readCached(Path entry) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(entry, StandardCharsets.ISO_8859_1)));
            String tensorflow = p.getProperty("tensorflow"), onednn = p.getProperty("onednn"),
                    isa = p.getProperty("onednn_isa"), gpus = p.getProperty("gpus");
            if (tensorflow == null || !tensorflow.matches("[0-9][0-9.]*") || onednn == null
                    || !onednn.matches("[0-9][0-9.]*") || isa == null || isa.isBlank() || gpus == null) {
                return null;
            }
            return new Native(tensorflow, onednn, isa, gpus.isEmpty() ? List.of() : Arrays.asList(gpus.split(";")));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Reads the probe's output: oneDNN's info lines and NativeProbe's device lines. */
    static Native parseProbe(String output, String tensorflow) {
        String onednn = "unknown", isa = "unknown";
        List<String> gpus = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Matcher v = ONEDNN_VERSION.matcher(line), i = ONEDNN_ISA.matcher(line);
            if (v.find()) onednn = v.group(1);
            else if (i.find()) isa = i.group(1).trim();
            else if (line.startsWith("device\t")) {
                String[] f = line.split("\t");
                if (f.length >= 4 && f[1].equals("GPU")) {
                    int at = f[2].lastIndexOf("device:"); // "/job:localhost/replica:0/task:0/device:GPU:0"
                    String name = at < 0 ? f[2] : f[2].substring(at + "device:".length());
                    gpus.add(name + " (" + Long.parseLong(f[3]) / (1 << 20) + " MiB)");
                }
            }
        }
        return new Native(tensorflow, onednn, isa, gpus);
    }

    /** Runs {@link NativeProbe} in a child JVM; its stdout, or null when it failed or timed out. */
    private static String probe() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), NativeProbe.class.getName());
        pb.environment().put("ONEDNN_VERBOSE", "1");
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = null;
        try {
            process = pb.start();
            process.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Process p = process;
            Thread reader = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the process ended
                }
            }, "host-probe-reader");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) return null;
            reader.join(TimeUnit.SECONDS.toMillis(5));
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (process != null && process.isAlive()) process.destroyForcibly();
        }
    }
}
