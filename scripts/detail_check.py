#!/usr/bin/env python3
"""Fine detail of real and generated faces, measured in pixels (docs/quality.md, "A hidden layer at full resolution").

No network and no pyramid: the luminance's differences between neighbouring pixels (grey levels of 255), their mean
and 90th percentile, and the energy left after a 3x3 box blur (RMS grey levels). Generated faces go through the same
JPEG round trip as the real ones (quality 95, no chroma subsampling, as `facegan data synth` writes them), so the
compression's own detail is on both sides. Prints the figures for two halves of the real faces and for each bundle's
serving_default, asked for the real faces' attributes with the same z for every bundle.

    facegan data synth --out /tmp/real --count 2000 --size 32 --seed 1
    $(scripts/tf-python) scripts/detail_check.py /tmp/real export/faces32-synthetic/1 [more bundles]
"""
import sys

import numpy as np
import tensorflow as tf

from face_sets import generated_faces, real_faces


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
    images, attrs, names = real_faces(real_dir)
    half = len(images) // 2
    describe('real (1st half)', images[:half])
    describe('real (2nd half)', images[half:])
    for bundle in bundles:  # the same z for every bundle
        describe(bundle, jpeg_round_trip(generated_faces(bundle, attrs, names, np.random.default_rng(0))))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit('usage: detail_check.py REAL_DIR BUNDLE [BUNDLE ...]')
    main(sys.argv[1], sys.argv[2:])
