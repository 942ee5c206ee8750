#!/usr/bin/env python3
"""Checks a facegan SavedModel with real TensorFlow, the loader TF Serving uses.

  PY=$(scripts/tf-python)
  "$PY" scripts/check_savedmodel.py export/NAME/1                 # list tags, signatures, shapes
  "$PY" scripts/check_savedmodel.py export/NAME/1 --cases c.json  # also compare outputs, print a JSON report

cases.json: {"SIGNATURE": {"inputs": {"NAME": {"shape": [...], "values": [...]}},
                           "outputs": {"NAME": {"shape": [...], "values": [...]}}}, ...}
A bundle with assets.extra/tf_serving_warmup_requests (TF Serving's warm-up file) also has each of its requests
run on the loaded model, as TF Serving does before serving it ("warmup" in the report).
A string output of PNGs (generate_png's image_bytes) is given as {"png_of": {"shape": [N, S, S, 3], "values": [...]}}:
images in [-1, 1]; each row's PNG must decode to round((x + 1) * 127.5) within 1 level of 255.
Exit status: 0 when every check passes, 1 otherwise.
"""
import argparse, json, os, subprocess, sys, tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import saved_model_pb2

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("bundle", help="SavedModel directory (EXPORT/NAME/VERSION)")
p.add_argument("--cases", help="JSON file of inputs and the outputs Java computed")
p.add_argument("--atol", type=float, default=1e-4)
a = p.parse_args()

report = {"bundle": a.bundle, "ok": True, "signatures": {}, "checks": []}

sm = saved_model_pb2.SavedModel()
with open(os.path.join(a.bundle, "saved_model.pb"), "rb") as f:
    sm.ParseFromString(f.read())
report["tags"] = [list(mg.meta_info_def.tags) for mg in sm.meta_graphs]
for mg in sm.meta_graphs:
    for key, sig in mg.signature_def.items():
        report["signatures"][key] = {
            "method": sig.method_name,
            "inputs": {k: [d.size for d in v.tensor_shape.dim] for k, v in sig.inputs.items()},
            "outputs": {k: [d.size for d in v.tensor_shape.dim] for k, v in sig.outputs.items()},
            "dtypes": {k: tf.dtypes.as_dtype(v.dtype).name
                       for k, v in list(sig.inputs.items()) + list(sig.outputs.items())},
        }

# saved_model_cli, the tool TF Serving's docs use to inspect a bundle, must list every signature too.
cli = subprocess.run([sys.executable, "-m", "tensorflow.python.tools.saved_model_cli", "show", "--dir", a.bundle,
                      "--all"], capture_output=True, text=True, timeout=120)
report["saved_model_cli_signatures"] = sorted(
    line.split("'")[1] for line in cli.stdout.splitlines() if line.startswith("signature_def['"))
report["ok"] &= cli.returncode == 0 and set(report["saved_model_cli_signatures"]) >= set(report["signatures"]) - {"__saved_model_init_op"}

loaded = tf.saved_model.load(a.bundle, tags=["serve"])
report["loaded_signatures"] = sorted(loaded.signatures.keys())


def prediction_log_class():
    """TF Serving's PredictionLog (predict arm only), built on TensorFlow's own TensorProto: tensorflow-serving-api
    is not installed, and this parses the file as TF Serving's classes would."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    from tensorflow.core.framework import tensor_pb2
    f = descriptor_pb2.FileDescriptorProto(name="facegan_check/prediction_log.proto", package="facegan_check",
                                           syntax="proto3", dependency=[tensor_pb2.DESCRIPTOR.name])
    F = descriptor_pb2.FieldDescriptorProto
    def field(msg, name, number, type_name=None, kind=F.TYPE_MESSAGE, label=F.LABEL_OPTIONAL):
        msg.field.add(name=name, number=number, type=kind, label=label, **({"type_name": type_name} if type_name else {}))
    spec = f.message_type.add(name="ModelSpec")
    field(spec, "name", 1, kind=F.TYPE_STRING)
    field(spec, "signature_name", 3, kind=F.TYPE_STRING)
    req = f.message_type.add(name="PredictRequest")
    entry = req.nested_type.add(name="InputsEntry")
    entry.options.map_entry = True
    field(entry, "key", 1, kind=F.TYPE_STRING)
    field(entry, "value", 2, ".tensorflow.TensorProto")
    field(req, "model_spec", 1, ".facegan_check.ModelSpec")
    field(req, "inputs", 2, ".facegan_check.PredictRequest.InputsEntry", label=F.LABEL_REPEATED)
    field(f.message_type.add(name="PredictLog"), "request", 1, ".facegan_check.PredictRequest")
    field(f.message_type.add(name="PredictionLog"), "predict_log", 6, ".facegan_check.PredictLog")
    descriptor_pool.Default().Add(f)
    return message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName("facegan_check.PredictionLog"))


# TF Serving's warm-up: assets.extra/tf_serving_warmup_requests, a TFRecord file of PredictionLog, each request run
# on the loaded model before it serves.
warmup_file = os.path.join(a.bundle, "assets.extra", "tf_serving_warmup_requests")
if os.path.exists(warmup_file):
    PredictionLog = prediction_log_class()
    warmup = {"records": 0, "signatures": [], "ok": True}
    try:
        for record in tf.data.TFRecordDataset(warmup_file):  # checks the framing and both CRCs of each record
            log = PredictionLog.FromString(record.numpy())
            request = log.predict_log.request
            key = request.model_spec.signature_name or "serving_default"
            feeds = {n: tf.constant(tf.make_ndarray(t)) for n, t in request.inputs.items()}
            loaded.signatures[key](**feeds)
            warmup["records"] += 1
            warmup["signatures"].append(key)
    except Exception as e:
        warmup["ok"] = False
        warmup["error"] = str(e).splitlines()[0] if str(e) else repr(e)
    report["warmup"] = warmup
    report["ok"] &= warmup["ok"]

if a.cases:
    with open(a.cases) as f:
        cases = json.load(f)
    for key, case in cases.items():
        fn = loaded.signatures[key]
        feeds = {n: tf.constant(np.array(v["values"], np.float32).reshape(v["shape"])) for n, v in case["inputs"].items()}
        got = fn(**feeds)
        for name, want in case["outputs"].items():
            if "png_of" in want:
                want = want["png_of"]
                w = np.array(want["values"], np.float32).reshape(want["shape"])
                w = np.clip(np.round((w + 1) * 127.5), 0, 255)
                pngs = got[name].numpy()
                decoded = np.stack([tf.io.decode_png(b, channels=3).numpy() for b in pngs]).astype(np.float32)
                diff = float(np.max(np.abs(decoded - w))) if decoded.shape == w.shape else float("inf")
                ok = got[name].dtype == tf.string and decoded.shape == w.shape and diff <= 1
                report["checks"].append({"signature": key, "output": name, "shape": list(pngs.shape),
                                         "decoded_shape": list(decoded.shape), "max_level_diff": diff, "ok": ok})
                report["ok"] &= ok
                continue
            g = got[name].numpy()
            w = np.array(want["values"], np.float32).reshape(want["shape"])
            diff = float(np.max(np.abs(g - w))) if g.shape == w.shape else float("inf")
            ok = g.shape == w.shape and diff <= a.atol
            report["checks"].append({"signature": key, "output": name, "shape": list(g.shape),
                                     "max_abs_diff": diff, "ok": ok})
            report["ok"] &= ok
            # and through `saved_model_cli run`, the command-line runner of the same loader
            with tempfile.TemporaryDirectory() as tmp:
                inputs = []
                for n, v in case["inputs"].items():
                    np.save(os.path.join(tmp, n + ".npy"), np.array(v["values"], np.float32).reshape(v["shape"]))
                    inputs.append(f"{n}={os.path.join(tmp, n + '.npy')}")
                out = os.path.join(tmp, "out")
                run = subprocess.run([sys.executable, "-m", "tensorflow.python.tools.saved_model_cli", "run",
                                      "--dir", a.bundle, "--tag_set", "serve", "--signature_def", key,
                                      "--inputs", ";".join(inputs), "--outdir", out, "--overwrite"],
                                     capture_output=True, text=True, timeout=300)
                written = os.path.join(out, name + ".npy")
                c = np.load(written) if run.returncode == 0 and os.path.exists(written) else None
                cdiff = float(np.max(np.abs(c - w))) if c is not None and c.shape == w.shape else float("inf")
                cok = cdiff <= a.atol
                report["checks"].append({"signature": key, "output": name, "tool": "saved_model_cli run",
                                         "max_abs_diff": cdiff, "ok": cok,
                                         **({} if cok else {"stderr": run.stderr[-2000:]})})
                report["ok"] &= cok

print(json.dumps(report))
sys.exit(0 if report["ok"] else 1)
