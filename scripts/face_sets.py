"""Real faces written by `facegan data synth` and a bundle's faces for their attributes, for the pixel checks
(lighting_check.py, detail_check.py)."""
import numpy as np
import tensorflow as tf


def real_faces(real_dir):
    """The folder's faces in [-1, 1], [N, S, S, 3], their 0/1 attributes [N, A] and the attribute names."""
    lines = open(real_dir + '/list_attr_celeba.txt').read().split('\n')
    names = lines[1].split()
    rows = [line.split() for line in lines[2:] if line.strip()]
    attrs = np.array([[(int(v) + 1) / 2 for v in r[1:]] for r in rows], dtype=np.float32)
    images = np.stack([tf.io.decode_jpeg(tf.io.read_file(real_dir + '/img_align_celeba/' + r[0])).numpy()
                       for r in rows]).astype(np.float32) / 127.5 - 1
    return images, attrs, names


def generated_faces(bundle, attrs, names, rng):
    """The bundle's serving_default faces for each row of attrs (in the bundle's attribute order), z from rng."""
    order = [line.strip() for line in open(bundle + '/assets/attributes.txt') if line.strip()]
    y = attrs[:, [names.index(o) for o in order]]
    g = tf.saved_model.load(bundle).signatures['serving_default']
    z_dim = g.structured_input_signature[1]['z'].shape[1]
    out = g(z=tf.constant(rng.standard_normal((len(y), z_dim)).astype(np.float32)), y=tf.constant(y))
    return list(out.values())[0].numpy()
