package org.facegan.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The models being served, each a base path in TF Serving's layout ({@code BASE/<version>/saved_model.pb}). A scan
 * loads version directories that appeared since the last one and retires those that went away; a directory is a
 * version only when its name is a number and it holds saved_model.pb, so an export still being written (under a
 * hidden temporary name, renamed into place when complete) is never loaded half written.
 *
 * <p>Versions change as TF Serving's availability-preserving policy changes them: a new version is loaded and warmed
 * up ({@link Warmup}) before it is listed, and listing it is one step, after which unversioned requests go to it; a
 * version that fails to load or to warm up is never listed. A retired version is unlisted first and closed when the
 * last request holding it is done ({@link RefCounted}).
 */
final class ModelRegistry implements AutoCloseable {
    private final Map<String, Path> bases;
    /** model name -> version -> loaded version; only scan() and close() change them. */
    private final Map<String, NavigableMap<Long, RefCounted<ServedVersion>>> models = new ConcurrentHashMap<>();
    /** Version directories that failed to load or warm up: not tried again while they stay on disk. */
    private final Set<Path> failed = new HashSet<>();

    /** @param bases model name -> base path */
    ModelRegistry(Map<String, Path> bases) {
        this.bases = Map.copyOf(bases);
        for (String name : bases.keySet()) models.put(name, new ConcurrentSkipListMap<>());
    }

    /** Loads new versions and retires removed ones; returns what changed, one line each. */
    synchronized List<String> scan() {
        List<String> changes = new ArrayList<>();
        for (var e : bases.entrySet()) {
            String name = e.getKey();
            NavigableMap<Long, RefCounted<ServedVersion>> versions = models.get(name);
            List<Long> present = versionsOnDisk(e.getValue());
            failed.removeIf(dir -> dir.getParent().equals(e.getValue()) && !present.contains(version(dir)));
            for (int i = present.size() - 1; i >= 0; i--) { // newest first: it is the one unversioned requests will get
                long v = present.get(i);
                Path dir = e.getValue().resolve(Long.toString(v));
                if (versions.containsKey(v) || failed.contains(dir)) continue;
                try {
                    ServedVersion loaded = load(v, dir);
                    versions.put(v, new RefCounted<>(loaded));
                    changes.add("loaded " + name + " version " + v + " from " + dir);
                } catch (RuntimeException ex) {
                    String why = String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
                    failed.add(dir);
                    changes.add("version " + v + " of " + name + " is not served: " + why);
                }
            }
            // Like TF Serving, keep the newest removed version while versions are on disk but none of them loaded,
            // so that a failed replacement does not leave the model with nothing to answer.
            List<Long> removed = versions.keySet().stream().filter(v -> !present.contains(v)).toList();
            boolean noneLoaded = !present.isEmpty() && present.stream().noneMatch(versions::containsKey);
            for (long v : noneLoaded ? removed.subList(0, Math.max(0, removed.size() - 1)) : removed) {
                versions.remove(v).retire();
                changes.add("unloaded " + name + " version " + v);
            }
        }
        return changes;
    }

    private static ServedVersion load(long v, Path dir) {
        ServedVersion version = new ServedVersion(v, dir);
        try {
            Warmup.run(version);
            return version;
        } catch (RuntimeException e) {
            version.close();
            throw e;
        }
    }

    private static long version(Path dir) {
        return Long.parseLong(dir.getFileName().toString());
    }

    private static List<Long> versionsOnDisk(Path base) {
        if (!Files.isDirectory(base)) return List.of();
        try (Stream<Path> entries = Files.list(base)) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
                    .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
                    .map(ModelRegistry::version).sorted().toList();
        } catch (IOException | UncheckedIOException e) { // the directory changed while listed: next scan
            return List.of();
        }
    }

    java.util.Set<String> names() {
        return bases.keySet();
    }

    /** The loaded version numbers of {@code name}, ascending. @throws ServeException 404 for an unknown model */
    List<Long> loaded(String name) {
        return List.copyOf(versions(name).keySet());
    }

    private NavigableMap<Long, RefCounted<ServedVersion>> versions(String name) {
        var versions = models.get(name);
        if (versions == null) throw ServeException.notFound("Servable not found for request: Latest(" + name + ")");
        return versions;
    }

    /**
     * A hold on the requested version, or on the latest when {@code version} is null; close it once the answer is
     * computed. @throws ServeException 404 when there is no such version
     */
    RefCounted.Handle<ServedVersion> acquire(String name, Long version) {
        NavigableMap<Long, RefCounted<ServedVersion>> versions = versions(name);
        while (true) {
            var latest = versions.lastEntry();
            RefCounted<ServedVersion> found = version != null ? versions.get(version) : latest == null ? null : latest.getValue();
            if (found == null) {
                throw ServeException.notFound("Servable not found for request: "
                        + (version == null ? "Latest(" + name + ")" : "Specific(" + name + ", " + version + ")"));
            }
            Optional<RefCounted.Handle<ServedVersion>> handle = found.tryAcquire();
            if (handle.isPresent()) return handle.get();
            // retired after we looked it up; it was unlisted before that, so looking again finds what replaced it
        }
    }

    /** Unlists every version; each is closed once the requests still on it are done. */
    @Override
    public synchronized void close() {
        for (var versions : models.values()) {
            for (Long v : new ArrayList<>(versions.keySet())) versions.remove(v).retire();
        }
    }
}
