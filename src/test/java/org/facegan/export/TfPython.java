package org.facegan.export;

import java.util.concurrent.TimeUnit;

/** The Python with real TensorFlow that scripts/tf-python provides (made on first use). */
final class TfPython {
    private static String path;

    private TfPython() {}

    static synchronized String path() throws Exception {
        if (path == null) {
            Process p = new ProcessBuilder("scripts/tf-python").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException("scripts/tf-python could not provide a Python with TensorFlow");
            }
            path = out;
        }
        return path;
    }
}
