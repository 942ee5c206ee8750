package org.facegan.io;

import java.nio.file.Path;

/** Where facegan keeps what it can rebuild: packed faces, per-host layer choices. */
public final class CacheDir {
    private CacheDir() {}

    /** {@code $FACEGAN_CACHE}, else {@code ~/.cache/facegan}. */
    public static Path userDefault() {
        String env = System.getenv("FACEGAN_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "facegan");
    }
}
