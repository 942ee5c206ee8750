package org.facegan.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.facegan.io.Host;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code facegan --version}: what a performance report needs to be read. facegan's version and git commit, Java,
 * TensorFlow (and the TF Java release and native build), oneDNN and the ISA it dispatches on, the CPU and the GPUs
 * TensorFlow sees. {@code bench train} puts the same fields in its JSON ({@link #fields()}).
 */
final class Version implements IVersionProvider {
    /** Written at build time (pom.xml, antrun): the commit, and TF Java's release and native classifier. */
    static final String BUILD_PROPERTIES = "/org/facegan/cli/build.properties";

    static String facegan() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? build().getProperty("version", "dev") : v;
    }

    /** The build's properties; empty where the build did not write them (an IDE's compile). */
    static Properties build() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(BUILD_PROPERTIES)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no build information
        }
        return p;
    }

    /** The fields of the version lines, by name, as bench's JSON carries them under "host". */
    static Map<String, Object> fields() {
        Properties build = build();
        Host host = Host.current();
        String tfJava = build.getProperty("tensorflow.java"), classifier = build.getProperty("tensorflow.native");
        // TF Java's release and classifier fix TensorFlow's build: a cached answer then loads no native library
        Host.Native runtime = host.runtime(Host.cacheDir(),
                tfJava == null || classifier == null ? null : "tfjava" + tfJava + "-" + classifier);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("facegan", facegan());
        f.put("commit", build.getProperty("commit", "unknown"));
        f.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        f.put("tensorflow", runtime.tensorflow());
        f.put("tensorflow_java", build.getProperty("tensorflow.java", "unknown"));
        f.put("native", build.getProperty("tensorflow.native", "unknown"));
        f.put("onednn", runtime.onednn());
        f.put("onednn_isa", runtime.onednnIsa());
        f.put("cpu", host.model());
        f.put("cpu_id", host.vendor() + (host.family().isEmpty() ? "" : " " + host.family()));
        f.put("cores", host.cores());
        f.put("cpu_isa", String.join(" ", host.isa()));
        f.put("gpus", runtime.gpus());
        return f;
    }

    @Override
    public String[] getVersion() {
        Map<String, Object> f = fields();
        @SuppressWarnings("unchecked")
        var gpus = (java.util.List<String>) f.get("gpus");
        return new String[] {
            "facegan " + f.get("facegan") + " (commit " + f.get("commit") + ")",
            "Java " + f.get("java"),
            "TensorFlow " + f.get("tensorflow") + " (TF Java " + f.get("tensorflow_java") + ", " + f.get("native") + ")",
            "oneDNN " + f.get("onednn") + ", ISA: " + f.get("onednn_isa"),
            "CPU: " + f.get("cpu") + " (" + f.get("cpu_id") + "), " + f.get("cores") + " cores, "
                    + (f.get("cpu_isa").toString().isEmpty() ? "no AVX" : f.get("cpu_isa")),
            "GPUs: " + (gpus.isEmpty() ? "none" : String.join(", ", gpus)),
        };
    }
}
