#!/usr/bin/env python3
"""Fine detail of real and generated faces, measured in pixels (docs/quality.md, "A hidden layer at full resolution").

No network and no pyramid: the luminance's differences between neighbouring pixels (grey levels of 255), their mean
and 90th percentile, and the energy left after a 3x3 box blur (RMS grey levels). Generated faces go through the same
JPEG round trip as the real ones (quality 95, no chroma subsampling, as `facegan data synth` writes them), so the
compression's own detail is on both sides. Prints the figures for two halves of the real faces and for each bundle's
serving_default, asked for the real faces' attributes.

    facegan data synth --out /tmp/real --count 2000 --size 32 --seed 1
    $(scripts/tf-python) scripts/detail_check.py /tmp/real export/faces32-synthetic/1 [more bundles]
"""
import sys

import numpy as np
import tensorflow as tf


def jpeg_round_trip(x):
    """[-1, 1] floats -> uint8 -> JPEG q95 4:4:4 -> decoded, back to [-1, 1]."""
    out = []
    for face in np.clip(np.rint((x + 1) * 127.5), 0, 255).astype(np.uint8):
        data = tf.io.encode_jpeg(face, quality=95, chroma_downsampling=False)
        out.append(tf.io.decode_jpeg(data).numpy())
    return np.stack(out).astype(np.float32) / 127.5 - 1


def describe(name, x):
    lum = (x.mean(axis=3) + 1) * 127.5                       # grey levels
    dx = np.abs(np.diff(lum, axis=2)).ravel()
    dy = np.abs(np.diff(lum, axis=1)).ravel()
    d = np.concatenate([dx, dy])
    padded = np.pad(lum, ((0, 0), (1, 1), (1, 1)), mode='edge')
    blur = sum(padded[:, i:i + lum.shape[1], j:j + lum.shape[2]] for i in range(3) for j in range(3)) / 9
    high = np.sqrt(((lum - blur) ** 2).mean())
    print(f"{name:44s} neighbour difference mean {d.mean():5.2f}  p90 {np.percentile(d, 90):5.2f}"
          f"  high-pass RMS {high:5.2f}")


def main(real_dir, bundles):
    lines = open(real_dir + '/list_attr_celeba.txt').read().split('\n')
    names = lines[1].split()
    rows = [line.split() for line in lines[2:] if line.strip()]
    attrs = np.array([[(int(v) + 1) / 2 for v in r[1:]] for r in rows], dtype=np.float32)
    images = np.stack([tf.io.decode_jpeg(tf.io.read_file(real_dir + '/img_align_celeba/' + r[0])).numpy()
                       for r in rows]).astype(np.float32) / 127.5 - 1
    half = len(images) // 2
    describe('real (1st half)', images[:half])
    describe('real (2nd half)', images[half:])
    rng = np.random.default_rng(0)
    for bundle in bundles:
        order = [line.strip() for line in open(bundle + '/assets/attributes.txt') if line.strip()]
        y = attrs[:, [names.index(o) for o in order]]
        g = tf.saved_model.load(bundle).signatures['serving_default']
        z_dim = g.structured_input_signature[1]['z'].shape[1]
        out = g(z=tf.constant(rng.standard_normal((len(y), z_dim)).astype(np.float32)), y=tf.constant(y))
        describe(bundle, jpeg_round_trip(list(out.values())[0].numpy()))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit('usage: detail_check.py REAL_DIR BUNDLE [BUNDLE ...]')
    main(sys.argv[1], sys.argv[2:])
