#!/usr/bin/env python3
"""The lighting of real and generated faces, measured in pixels (docs/quality.md, "Where the nuisance distance
comes from").

A plane is fitted to each face's luminance; its slope, relative to the mean level, is the light gradient plus the
face's own layout (the same for real and generated faces). Prints the slope's statistics for two halves of the real
faces and for each bundle's serving_default, asked for the real faces' attributes.

    facegan data synth --out /tmp/real --count 2000 --size 32 --seed 1
    $(scripts/tf-python) scripts/lighting_check.py /tmp/real export/faces32-synthetic/1 [more bundles]
"""
import sys

import numpy as np

from face_sets import generated_faces, real_faces


def slopes(x):
    """|gradient| and the left-right gradient of each face's luminance plane, relative to its mean level."""
    n, s = x.shape[0], x.shape[1]
    lum = x.mean(axis=3) + 1  # [0, 2]: a gain scales it
    c = (np.arange(s) + 0.5) / s - 0.5
    u, v = np.meshgrid(c, c)
    a = np.stack([np.ones(s * s), u.ravel(), v.ravel()], 1)
    coef, *_ = np.linalg.lstsq(a, lum.reshape(n, -1).T, rcond=None)
    rel = coef[1:] / coef[0]
    return np.hypot(rel[0], rel[1]), rel[0]


def describe(name, x):
    m, gx = slopes(x)
    print(f"{name:28s} |gradient| mean {m.mean():.4f} sd {m.std():.4f}  p90 {np.percentile(m, 90):.4f}"
          f"  left-right sd {gx.std():.4f}")


def main(real_dir, bundles):
    images, attrs, names = real_faces(real_dir)
    half = len(images) // 2
    describe('real (1st half)', images[:half])
    describe('real (2nd half)', images[half:])
    rng = np.random.default_rng(0)
    for bundle in bundles:
        describe(bundle, generated_faces(bundle, attrs, names, rng))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit('usage: lighting_check.py REAL_DIR BUNDLE [BUNDLE ...]')
    main(sys.argv[1], sys.argv[2:])
