package org.facegan.cli;

import picocli.CommandLine.IVersionProvider;

/** Version line: facegan's, TensorFlow's and Java's. */
final class Version implements IVersionProvider {
    static String facegan() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"facegan " + facegan(), "TensorFlow " + org.tensorflow.TensorFlow.version(),
                "Java " + System.getProperty("java.version")};
    }
}
