#!/usr/bin/env python3
"""Peer baseline: the conditional DCGAN of shared/bench/REFERENCE.md written in Keras (TensorFlow 2, Python).

facegan's copy of ../shared/bench/keras_dcgan.py, kept here so scripts/bench-vs-keras.sh runs the same peer on
every machine. Added to the original: sampling at batch 1 and 256, the same machine's 2048x2048 matmul GFLOP/s
in this TensorFlow, and the process's peak resident memory. The network and the timed training step are
unchanged.

It times training steps (one D step + one G step per batch, as the project's trainer does) and sampling,
on random data, and prints one JSON line. Use it to compare the Java trainer against the Python TensorFlow
that most GAN users would reach for, on the same machine, in the same run.

  PY=$(../shared/tools/tf-python)
  "$PY" scripts/keras_peer.py --size 64 --batch 64 --ngf 32 --ndf 32 --kernel 4 --ydim 8 --steps 10
"""
import argparse, json, math, os, resource, time

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=64)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--zdim", type=int, default=100)
p.add_argument("--ydim", type=int, default=40)
p.add_argument("--ngf", type=int, default=64)
p.add_argument("--ndf", type=int, default=64)
p.add_argument("--kernel", type=int, default=5)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--warmup", type=int, default=3)
p.add_argument("--threads", type=int, default=0, help="intra/inter op threads; 0 = TensorFlow's default")
p.add_argument("--xla", action="store_true", help="jit_compile the train step")
a = p.parse_args()

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

if a.threads:
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)

L = int(math.log2(a.size // 4))          # up/down-sampling stages: 32 -> 3, 64 -> 4
k = a.kernel

def generator():
    z = keras.Input((a.zdim,)); y = keras.Input((a.ydim,))
    c0 = a.ngf * 2 ** (L - 1)
    h = layers.Dense(4 * 4 * c0, use_bias=False)(layers.Concatenate()([z, y]))
    h = layers.ReLU()(layers.BatchNormalization()(layers.Reshape((4, 4, c0))(h)))
    for i in range(L - 1):
        h = layers.Conv2DTranspose(a.ngf * 2 ** (L - 2 - i), k, 2, "same", use_bias=False)(h)
        h = layers.ReLU()(layers.BatchNormalization()(h))
    x = layers.Conv2DTranspose(3, k, 2, "same", activation="tanh")(h)
    return keras.Model([z, y], x)

def discriminator():
    x = keras.Input((a.size, a.size, 3)); y = keras.Input((a.ydim,))
    h = x
    for i in range(L):
        h = layers.Conv2D(a.ndf * 2 ** i, k, 2, "same", use_bias=(i == 0))(h)
        if i > 0:
            h = layers.BatchNormalization()(h)
        h = layers.LeakyReLU(0.2)(h)
    h = layers.Concatenate()([layers.Flatten()(h), y])
    return keras.Model([x, y], layers.Dense(1)(h))

G, D = generator(), discriminator()
bce = keras.losses.BinaryCrossentropy(from_logits=True)
gopt = keras.optimizers.Adam(2e-4, beta_1=0.5)
dopt = keras.optimizers.Adam(2e-4, beta_1=0.5)

@tf.function(jit_compile=a.xla)
def train_step(real, y):
    z = tf.random.normal((a.batch, a.zdim))
    with tf.GradientTape() as dt:
        fake = G([z, y], training=True)
        lr, lf = D([real, y], training=True), D([fake, y], training=True)
        dl = bce(tf.ones_like(lr), lr) + bce(tf.zeros_like(lf), lf)
    dopt.apply_gradients(zip(dt.gradient(dl, D.trainable_variables), D.trainable_variables))
    z = tf.random.normal((a.batch, a.zdim))
    with tf.GradientTape() as gt:
        lf = D([G([z, y], training=True), y], training=True)
        gl = bce(tf.ones_like(lf), lf)
    gopt.apply_gradients(zip(gt.gradient(gl, G.trainable_variables), G.trainable_variables))
    return dl, gl

@tf.function
def sample(z, y):
    return G([z, y], training=False)

real = tf.random.uniform((a.batch, a.size, a.size, 3), -1, 1)
y = tf.cast(tf.random.uniform((a.batch, a.ydim)) > 0.5, tf.float32)
for _ in range(a.warmup):
    train_step(real, y)
t = time.perf_counter()
for _ in range(a.steps):
    dl, gl = train_step(real, y)
float(dl)
train_s = (time.perf_counter() - t) / a.steps

z = tf.random.normal((a.batch, a.zdim))
for _ in range(a.warmup):
    sample(z, y)
t = time.perf_counter()
for _ in range(a.steps):
    out = sample(z, y)
out.numpy()
sample_s = (time.perf_counter() - t) / a.steps

def sample_rate(batch):
    zb = tf.random.normal((batch, a.zdim))
    yb = tf.cast(tf.random.uniform((batch, a.ydim)) > 0.5, tf.float32)
    for _ in range(a.warmup):
        sample(zb, yb).numpy()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        sample(zb, yb).numpy()
        times.append(time.perf_counter() - t)
    return batch / sorted(times)[len(times) // 2]

@tf.function
def matmul(m1, m2):
    return tf.reduce_sum(tf.matmul(m1, m2))

def matmul_gflops(n=2048):
    m1, m2 = tf.random.uniform((n, n)), tf.random.uniform((n, n))
    for _ in range(2):
        matmul(m1, m2).numpy()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        matmul(m1, m2).numpy()
        times.append(time.perf_counter() - t)
    return 2 * n ** 3 / sorted(times)[len(times) // 2] / 1e9

print(json.dumps({"peer": "keras", "tf": tf.__version__, "size": a.size, "batch": a.batch,
                  "ngf": a.ngf, "ndf": a.ndf, "kernel": k, "xla": a.xla,
                  "train_ms_per_step": round(train_s * 1e3, 1),
                  "train_images_per_s": round(a.batch / train_s, 1),
                  "sample_images_per_s": round(a.batch / sample_s, 1),
                  "sample_images_per_s_b1": round(sample_rate(1), 1),
                  "sample_images_per_s_b256": round(sample_rate(256), 1),
                  "matmul_gflops": round(matmul_gflops(), 1),
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "g_params": G.count_params(), "d_params": D.count_params()}))
