package org.facegan.cli;

/** TensorFlow's multi-line gRPC errors cut to the line a person needs. */
final class ClusterRunMessages {
    private ClusterRunMessages() {}

    static String firstLine(Exception e) {
        return e.getMessage() == null ? e.toString() : reason(e.getMessage());
    }

    /** The first line of {@code message} that says something ("Socket closed"), not a header or a "From task" line. */
    static String reason(String message) {
        for (String line : message.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("=====") || line.startsWith("From /job:") || line.matches("[A-Z_]+: From /job:.*")) {
                continue;
            }
            return line.length() > 200 ? line.substring(0, 200) + "..." : line;
        }
        return "TensorFlow gave no reason";
    }
}
