// facegan's face editor: one slider per attribute of y, a grid of faces drawn by the model's generate_png
// signature through TF Serving's REST API, a z seed, a photo upload (encoded with E), and a latent walk.
const params = new URLSearchParams(location.search);
const api = params.get('api') || '';
const FACES = 6;
const $ = (id) => document.getElementById(id);

let model, zDim, yDim, size, names;
let zs = [];          // one z per face
let y = [];           // the attributes every face is asked for
let busy = false, again = false;

async function json(url, body) {
  const response = await fetch(api + url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

// Seeded Gaussian draws (mulberry32 + Box-Muller): the same seed gives the same faces.
function gaussians(seed, n) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [];
  while (out.length < n) {
    const u = Math.max(uniform(), 1e-12), v = uniform();
    out.push(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

function drawZs(seed) {
  const all = gaussians(seed, FACES * zDim);
  zs = Array.from({ length: FACES }, (_, i) => all.slice(i * zDim, (i + 1) * zDim));
}

// Renders the grid; slider moves during a request are coalesced into one more request.
async function render() {
  if (busy) { again = true; return; }
  busy = true;
  const started = performance.now();
  try {
    const answer = await json(`/v1/models/${model}:predict`,
      { signature_name: 'generate_png', instances: zs.map((z) => ({ z, y })) });
    const images = [...$('faces').querySelectorAll('img')];
    await Promise.all(answer.predictions.map((p, i) => new Promise((resolve) => {
      images[i].onload = resolve;
      images[i].src = 'data:image/png;base64,' + p.b64;
    })));
    const ms = performance.now() - started;
    $('latency').dataset.ms = ms.toFixed(1);
    $('latency').textContent = `last update ${ms.toFixed(0)} ms`;
    $('status').textContent = 'ready';
  } catch (e) {
    $('status').textContent = 'error: ' + e.message;
  } finally {
    busy = false;
    if (again) { again = false; render(); }
  }
}

function buildSliders() {
  $('sliders').replaceChildren(...names.map((name, k) => {
    const row = document.createElement('label');
    row.className = 'slider';
    const input = Object.assign(document.createElement('input'),
      { type: 'range', min: -1, max: 2, step: 0.05, value: y[k], name });
    const value = document.createElement('output');
    value.textContent = (+input.value).toFixed(2);
    input.addEventListener('input', () => {
      y[k] = +input.value;
      value.textContent = y[k].toFixed(2);
      render();
    });
    row.append(name, input, value);
    return row;
  }));
}

// A photo: centre-cropped and resized to the model's size, encoded with E; D's attribute head estimates its y.
async function upload(file) {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, size, size);
  const rgba = ctx.getImageData(0, 0, size, size).data;
  const image = [];
  for (let r = 0; r < size; r++) {
    const row = [];
    for (let c = 0; c < size; c++) {
      const i = 4 * (r * size + c);
      row.push([rgba[i] / 127.5 - 1, rgba[i + 1] / 127.5 - 1, rgba[i + 2] / 127.5 - 1]);
    }
    image.push(row);
  }
  const encoded = await json(`/v1/models/${model}:predict`, { signature_name: 'encode', instances: [image] });
  const judged = await json(`/v1/models/${model}:predict`,
    { signature_name: 'discriminate', instances: [{ images: image, y: new Array(yDim).fill(0) }] });
  zs[0] = encoded.predictions[0];
  y = judged.predictions[0].attribute_logits.map((l) => 1 / (1 + Math.exp(-l)));
  buildSliders();
  render();
}

// A slerp from the first face's z to a new random one, 24 frames.
async function walk() {
  const from = zs[0], to = gaussians(Date.now() & 0xffffffff, zDim);
  const dot = from.reduce((s, v, i) => s + v * to[i], 0) / Math.hypot(...from) / Math.hypot(...to);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot)));
  for (let f = 1; f <= 24; f++) {
    const t = f / 24, s = Math.sin(omega);
    zs[0] = from.map((v, i) => s < 1e-6 ? (1 - t) * v + t * to[i]
      : (Math.sin((1 - t) * omega) * v + Math.sin(t * omega) * to[i]) / s);
    busy ? (again = true) : await render();
  }
}

async function init() {
  model = params.get('model') || (await json('/facegan/models'))[0];
  const meta = await json(`/v1/models/${model}/metadata`);
  const inputs = meta.metadata.signature_def.signature_def.serving_default.inputs;
  const images = meta.metadata.signature_def.signature_def.serving_default.outputs.images;
  zDim = +inputs.z.tensor_shape.dim[1].size;
  yDim = +inputs.y.tensor_shape.dim[1].size;
  size = +images.tensor_shape.dim[1].size;
  try {
    names = await json(`/facegan/models/${model}/attributes`);
  } catch {
    names = Array.from({ length: yDim }, (_, k) => `y${k}`);   // TF Serving does not list a bundle's assets
  }
  y = new Array(yDim).fill(0);
  $('model').textContent = `${model} (version ${meta.model_spec.version}, ${size} px, z ${zDim})`;
  $('faces').replaceChildren(...Array.from({ length: FACES }, (_, i) =>
    Object.assign(document.createElement('img'), { alt: `face ${i + 1}` })));
  drawZs(+$('seed').value);
  buildSliders();
  $('seed').addEventListener('change', () => { drawZs(+$('seed').value); render(); });
  $('random').addEventListener('click', () => { $('seed').value = Math.floor(Math.random() * 1e6); drawZs(+$('seed').value); render(); });
  $('reset').addEventListener('click', () => { y = new Array(yDim).fill(0); buildSliders(); render(); });
  $('walk').addEventListener('click', walk);
  $('upload').addEventListener('change', (e) => e.target.files[0] && upload(e.target.files[0]));
  await render();
}

init().catch((e) => { $('status').textContent = 'error: ' + e.message; });
