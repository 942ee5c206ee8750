package org.facegan.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * A TensorFlow cluster as {@code TF_CONFIG} describes it, and which task of it this process is:
 * {@code {"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", "index": N}}}. facegan's cluster is
 * one job, {@value #JOB}; its task 0 is the chief (it holds the variables, feeds the data and writes the run), the
 * others serve their towers' ops ({@code facegan worker}). {@code --cluster FILE} holds the same JSON; its
 * {@code task} may be left out when {@code --task N} is given.
 *
 * @param workers every task's address, host:port, in task order
 * @param task this process's task index
 */
public record ClusterSpec(List<String> workers, int task) {
    public static final String JOB = "worker";
    /** The environment variable every TensorFlow launcher writes. */
    public static final String TF_CONFIG = "TF_CONFIG";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClusterSpec {
        workers = List.copyOf(workers);
        if (workers.isEmpty()) throw new IllegalArgumentException("the cluster's \"worker\" list is empty");
        Set<String> seen = new HashSet<>();
        for (String address : workers) {
            if (!address.matches("[A-Za-z0-9._\\-]+:\\d{1,5}") || port(address) < 1 || port(address) > 65535) {
                throw new IllegalArgumentException("a worker address must be host:port (port 1-65535), found '" + address + "'");
            }
            if (!seen.add(address)) throw new IllegalArgumentException("the cluster lists " + address + " twice");
        }
        if (task < 0 || task >= workers.size()) {
            throw new IllegalArgumentException("task index must be 0 to " + (workers.size() - 1) + " (the cluster has "
                    + workers.size() + " workers), found " + task);
        }
    }

    /**
     * The spec in {@code file} ({@code --cluster FILE}); {@code task} ({@code --task}) replaces the file's task, and
     * one of them must give it.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static ClusterSpec read(Path file, Integer task) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--cluster " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        return parse(text, task, "--cluster " + file);
    }

    /**
     * The spec in JSON {@code text} (TF_CONFIG's form), named {@code source} in messages.
     *
     * @param task replaces the text's task index when not null
     * @throws IllegalArgumentException naming {@code source}, what was expected and what was found
     */
    public static ClusterSpec parse(String text, Integer task, String source) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) throw new IllegalArgumentException("expected a JSON object, found " + text.strip());
            for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!Set.of("cluster", "task", "environment", "rpc_layer").contains(key)) {
                    throw new IllegalArgumentException("unknown key \"" + key + "\" (expected cluster, task)");
                }
            }
            if (root.has("rpc_layer") && !root.get("rpc_layer").asText().equals("grpc")) {
                throw new IllegalArgumentException("rpc_layer must be grpc, found " + root.get("rpc_layer"));
            }
            JsonNode cluster = root.get("cluster");
            if (cluster == null || !cluster.isObject()) {
                throw new IllegalArgumentException("expected \"cluster\": {\"worker\": [\"host:port\", ...]}");
            }
            for (Iterator<String> jobs = cluster.fieldNames(); jobs.hasNext(); ) {
                String job = jobs.next();
                if (!job.equals(JOB)) {
                    throw new IllegalArgumentException("the cluster has a job \"" + job + "\"; facegan's cluster is one \""
                            + JOB + "\" job whose task 0 is the chief");
                }
            }
            JsonNode list = cluster.get(JOB);
            if (list == null || !list.isArray()) throw new IllegalArgumentException("expected \"worker\": [\"host:port\", ...]");
            List<String> workers = new ArrayList<>();
            for (JsonNode address : list) {
                if (!address.isTextual()) throw new IllegalArgumentException("a worker address must be a string, found " + address);
                workers.add(address.asText());
            }
            return new ClusterSpec(workers, task != null ? task : taskOf(root.get("task")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static int taskOf(JsonNode task) {
        if (task == null) throw new IllegalArgumentException("no task: give \"task\": {\"type\": \"worker\", \"index\": N} or --task N");
        JsonNode type = task.get("type"), index = task.get("index");
        if (type == null || !type.asText().equals(JOB)) {
            throw new IllegalArgumentException("the task's type must be \"worker\", found " + type);
        }
        if (index == null || !index.canConvertToInt()) throw new IllegalArgumentException("the task needs an integer \"index\", found " + index);
        return index.asInt();
    }

    public int size() {
        return workers.size();
    }

    public boolean isChief() {
        return task == 0;
    }

    /** Task k's address, host:port. */
    public String address(int k) {
        return workers.get(k);
    }

    /** "task k (host:port)", as messages name a task. */
    public String describe(int k) {
        return "worker task " + k + " (" + address(k) + ")";
    }

    /** The port this process's server listens on (every interface: TensorFlow's gRPC server binds 0.0.0.0). */
    public int port() {
        return port(address(task));
    }

    /** The session target of this process's own server. */
    public String localTarget() {
        return "grpc://localhost:" + port();
    }

    /**
     * The ServerDef of this process's task.
     *
     * @param threads intra/inter-op threads of the server's devices; 0 keeps TensorFlow's default
     */
    public ServerDef serverDef(int threads) {
        JobDef.Builder job = JobDef.newBuilder().setName(JOB);
        for (int k = 0; k < workers.size(); k++) job.putTasks(k, workers.get(k));
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (threads > 0) config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
        return ServerDef.newBuilder().setCluster(ClusterDef.newBuilder().addJob(job)).setJobName(JOB).setTaskIndex(task)
                .setProtocol("grpc").setDefaultSessionConfig(config).build();
    }

    /** The same cluster as task {@code k}. */
    public ClusterSpec asTask(int k) {
        return new ClusterSpec(workers, k);
    }

    /** The spec as TF_CONFIG's JSON. */
    public String toJson() {
        var root = JSON.createObjectNode();
        var list = root.putObject("cluster").putArray(JOB);
        workers.forEach(list::add);
        root.putObject("task").put("type", JOB).put("index", task);
        return root.toString();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
