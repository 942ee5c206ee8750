package org.facegan.serve;

/** A request the server answers with an HTTP error status and {@code {"error": message}}, as TF Serving does. */
public final class ServeException extends RuntimeException {
    private final int status;

    public ServeException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ServeException badRequest(String message) {
        return new ServeException(400, message);
    }

    static ServeException notFound(String message) {
        return new ServeException(404, message);
    }
}
