package org.facegan.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The models being served, each a base path in TF Serving's layout ({@code BASE/<version>/saved_model.pb}). A scan
 * loads version directories that appeared since the last one and unloads those that went away; a directory is a
 * version only when its name is a number and it holds saved_model.pb, so an export still being written (under a
 * hidden temporary name, renamed into place when complete) is never loaded half written.
 */
final class ModelRegistry implements AutoCloseable {
    private final Map<String, Path> bases;
    private final Map<String, NavigableMap<Long, ServedVersion>> models = new ConcurrentHashMap<>();
    private final Map<Path, String> failed = new ConcurrentHashMap<>();

    /** @param bases model name -> base path */
    ModelRegistry(Map<String, Path> bases) {
        this.bases = Map.copyOf(bases);
        for (String name : bases.keySet()) models.put(name, new ConcurrentSkipListMap<>());
    }

    /** Loads new versions and unloads removed ones; returns what changed, one line each. */
    synchronized List<String> scan() {
        List<String> changes = new ArrayList<>();
        for (var e : bases.entrySet()) {
            NavigableMap<Long, ServedVersion> versions = models.get(e.getKey());
            List<Long> present = versionsOnDisk(e.getValue());
            for (long v : present) {
                Path dir = e.getValue().resolve(Long.toString(v));
                if (versions.containsKey(v) || failed.containsKey(dir)) continue;
                try {
                    versions.put(v, new ServedVersion(v, dir));
                    changes.add("loaded " + e.getKey() + " version " + v + " from " + dir);
                } catch (RuntimeException ex) {
                    failed.put(dir, String.valueOf(ex.getMessage()));
                    changes.add("cannot load " + dir + ": " + ex.getMessage());
                }
            }
            for (Long v : new ArrayList<>(versions.keySet())) {
                if (!present.contains(v)) {
                    versions.remove(v).close();
                    changes.add("unloaded " + e.getKey() + " version " + v);
                }
            }
        }
        return changes;
    }

    private static List<Long> versionsOnDisk(Path base) {
        if (!Files.isDirectory(base)) return List.of();
        try (Stream<Path> entries = Files.list(base)) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
                    .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
                    .map(p -> Long.parseLong(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    java.util.Set<String> names() {
        return bases.keySet();
    }

    /** @throws ServeException 404 for an unknown model */
    NavigableMap<Long, ServedVersion> versions(String name) {
        NavigableMap<Long, ServedVersion> versions = models.get(name);
        if (versions == null) throw ServeException.notFound("Servable not found for request: Latest(" + name + ")");
        return versions;
    }

    /** The requested version, or the latest when {@code version} is null. @throws ServeException 404 */
    ServedVersion version(String name, Long version) {
        NavigableMap<Long, ServedVersion> versions = versions(name);
        ServedVersion v = version == null ? (versions.isEmpty() ? null : versions.lastEntry().getValue()) : versions.get(version);
        if (v == null) {
            throw ServeException.notFound("Servable not found for request: "
                    + (version == null ? "Latest(" + name + ")" : "Specific(" + name + ", " + version + ")"));
        }
        return v;
    }

    @Override
    public synchronized void close() {
        for (var versions : models.values()) {
            versions.values().forEach(ServedVersion::close);
            versions.clear();
        }
    }
}
