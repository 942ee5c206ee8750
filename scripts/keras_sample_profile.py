#!/usr/bin/env python3
"""Where the Keras peer's sampling time goes, by op type (issue 19, point 4), to set beside
`facegan bench train --profile`'s "sampling run" lines. Same options as scripts/keras_peer.py; TensorFlow's own
profiler traces 10 sampling runs of one batch and the kernels' times are summed by op type.

  PY=$(scripts/tf-python)
  "$PY" scripts/keras_sample_profile.py --size 32 --batch 64 --ngf 64 --ndf 64 --kernel 4 --ydim 10
"""
import collections, glob, os, sys, tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
here = os.path.dirname(os.path.abspath(__file__))
sys.argv = [sys.argv[0]] + sys.argv[1:] + ["--steps", "1", "--warmup", "1"]
source = open(os.path.join(here, "keras_peer.py")).read()
exec(compile(source[:source.index("real = tf.random.uniform")], "keras_peer.py", "exec"))  # its G and sample()

try:
    from tensorflow.tsl.profiler.protobuf import xplane_pb2
except ImportError:  # where TensorFlow ships tsl as its own package
    from tsl.profiler.protobuf import xplane_pb2

RUNS = 10
z = tf.random.normal((a.batch, a.zdim))
y = tf.cast(tf.random.uniform((a.batch, a.ydim)) > 0.5, tf.float32)
for _ in range(5):
    sample(z, y).numpy()
logdir = tempfile.mkdtemp(prefix="keras-sample-profile-")
tf.profiler.experimental.start(logdir)
for _ in range(RUNS):
    sample(z, y).numpy()
tf.profiler.experimental.stop()

space = xplane_pb2.XSpace()
space.ParseFromString(open(glob.glob(logdir + "/**/*.xplane.pb", recursive=True)[0], "rb").read())
by_type = collections.Counter()
for plane in space.planes:
    names = {k: v.name for k, v in plane.event_metadata.items()}
    for line in plane.lines:
        if not line.name.startswith("tf_Compute"):
            continue
        for event in line.events:
            name = names.get(event.metadata_id, "?")
            # kernels are "scope/op:Type"; the executor's own spans ("ExecutorState::Process") hold them and would
            # count them twice
            if ":" in name and "::" not in name:
                by_type[name.rsplit(":", 1)[1]] += event.duration_ps / 1e9
total = sum(by_type.values())
print("Keras sampling run (batch %d): %.1f ms kernel time per run (%d runs)" % (a.batch, total / RUNS, RUNS))
for op, ms in by_type.most_common(15):
    print("  %-32s %8.2f ms %5.1f%%" % (op, ms / RUNS, 100 * ms / total))
