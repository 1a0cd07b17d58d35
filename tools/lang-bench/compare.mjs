#!/usr/bin/env node
// Language-ID library comparison for short social-media text (TikTok comments, titles, bios).
//
// The libraries are NOT dependencies of this repo; they live in a scratch folder
// (default /tmp/langbench, override with LANGBENCH_DIR). One-time setup:
//
//   mkdir -p /tmp/langbench && cd /tmp/langbench
//   echo '{"name":"langbench","private":true,"type":"module"}' > package.json
//   npm install --save-exact franc@6.2.0 franc-min@6.2.0 eld@2.1.0 tinyld@1.3.4 cld3-asm@4.0.0 iso-639-3@3.0.1
//
// Run (from anywhere; Node >= 20):
//
//   node tools/lang-bench/compare.mjs                 # all libraries, human-readable report
//   node tools/lang-bench/compare.mjs --json out.json # also write every figure as JSON
//   node tools/lang-bench/compare.mjs --only eld-large,tinyld --no-registry
//
// Env: LANGBENCH_DIR (/tmp/langbench), COMMENTS_DIR (/work/shared/datasets/tiktok-nesc-dev/comments),
//      N_SPEED (20000 comments for the speed test), SPEED_PASSES (3).
//
// Each library is measured in its own child process (spawned with --expose-gc), so load time
// and RSS delta are not polluted by the other libraries. ESM bare specifiers cannot be resolved
// from this file's location (the packages are not in /work/main/node_modules), so the tiny
// resolver below maps "pkg/subpath" to a file URL inside LANGBENCH_DIR using the package's
// "exports" (import condition) or "main", i.e. the same file Node itself would pick.

import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LANGBENCH_DIR = process.env.LANGBENCH_DIR || '/tmp/langbench';
const COMMENTS_DIR = process.env.COMMENTS_DIR || '/work/shared/datasets/tiktok-nesc-dev/comments';
const N_SPEED = Number(process.env.N_SPEED || 20000);
const SPEED_PASSES = Number(process.env.SPEED_PASSES || 3);
const LANGS = ['en', 'es', 'pt', 'id', 'de', 'fr'];

// ---------------------------------------------------------------------------------------------
// Resolution of packages installed in LANGBENCH_DIR
// ---------------------------------------------------------------------------------------------
function pkgDir(name) {
  return path.join(LANGBENCH_DIR, 'node_modules', name);
}
function readPkg(name) {
  return JSON.parse(fs.readFileSync(path.join(pkgDir(name), 'package.json'), 'utf8'));
}
function resolveSpec(spec) {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const rest = spec.slice(name.length);
  const sub = rest ? '.' + rest : '.';
  const pkg = readPkg(name);
  let target;
  if (pkg.exports) {
    let map = pkg.exports;
    if (typeof map === 'string' || !Object.keys(map).some((k) => k.startsWith('.'))) map = { '.': map };
    let v = map[sub];
    while (v && typeof v === 'object') v = v.import ?? v.node ?? v.default ?? v.require;
    if (!v) throw new Error(`${spec}: subpath ${sub} not exported`);
    target = v;
  } else {
    target = sub === '.' ? pkg.main || 'index.js' : sub;
  }
  return pathToFileURL(path.join(pkgDir(name), target)).href;
}
const imp = (spec) => import(resolveSpec(spec));

// ---------------------------------------------------------------------------------------------
// Adapters: every adapter's detect(text) returns
//   { raw, code, conf, reliable }
//   raw      = what the library itself returned (its own code)
//   code     = ISO 639-1 where one exists, the library's code otherwise, 'und' for "no answer"
//   conf     = the library's confidence number (null if none)
//   reliable = the library's own reliability flag (null if none)
// detect() does what production code would do per text (incl. computing the confidence).
// ---------------------------------------------------------------------------------------------
const ADAPTERS = {
  franc: { pkg: 'franc', note: 'franc(text) -> ISO 639-3; 187 langs; minLength 10', make: () => makeFranc('franc') },
  'franc-min': { pkg: 'franc-min', note: '82 langs (8M+ speakers)', make: () => makeFranc('franc-min') },
  'eld-large': { pkg: 'eld', note: "import {eld} from 'eld/large'", make: () => makeEld('eld/large') },
  'eld-medium': { pkg: 'eld', note: "import {eld} from 'eld/medium'", make: () => makeEld('eld/medium') },
  'eld-small': { pkg: 'eld', note: "import {eld} from 'eld/small'", make: () => makeEld('eld/small') },
  'eld-extrasmall': { pkg: 'eld', note: "import {eld} from 'eld/extrasmall'", make: () => makeEld('eld/extrasmall') },
  tinyld: { pkg: 'tinyld', note: "import {detectAll} from 'tinyld'", make: () => makeTiny('tinyld') },
  'tinyld-heavy': { pkg: 'tinyld', note: "import {detectAll} from 'tinyld/heavy'", make: () => makeTiny('tinyld/heavy') },
  'cld3-asm': { pkg: 'cld3-asm', note: '(await loadModule()).create(1) ; default create() has minBytes=140', make: makeCld3 },
};

let iso6393To1 = null; // loaded before the timed section (it is the mapping table, not the detector)

async function makeFranc(spec) {
  const { francAll } = await imp(spec);
  return {
    detect(t) {
      const all = francAll(t); // franc(t) === francAll(t)[0][0]
      const raw = all[0][0];
      // francAll scores are normalised so top === 1; use the gap to the runner-up as "confidence"
      const conf = all.length > 1 ? 1 - all[1][1] : raw === 'und' ? 0 : 1;
      return { raw, code: raw === 'und' ? 'und' : iso6393To1[raw] || raw, conf, reliable: null };
    },
  };
}

async function makeEld(spec) {
  const { eld } = await imp(spec);
  return {
    detect(t) {
      const r = eld.detect(t);
      const reliable = r.isReliable();
      const scores = r.getScores();
      const conf = r.language ? scores[r.language] ?? 0 : 0;
      return { raw: r.language, code: r.language || 'und', conf, reliable };
    },
  };
}

async function makeTiny(spec) {
  const { detectAll } = await imp(spec);
  return {
    detect(t) {
      const all = detectAll(t); // detect(t) === (detectAll(t)[0]?.lang ?? '')
      const top = all[0];
      return { raw: top ? top.lang : '', code: top ? top.lang : 'und', conf: top ? top.accuracy : 0, reliable: null };
    },
  };
}

const CLD3_MAP = { iw: 'he', fil: 'tl', jw: 'jv', in: 'id' };
async function makeCld3() {
  const { loadModule } = await imp('cld3-asm');
  const factory = await loadModule();
  // minBytes=1: default (140 bytes) returns 'und' for nearly every comment; minBytes=0 makes
  // "" / emoji-only return a bogus reliable 'ja'.
  const id = factory.create(1);
  return {
    detect(t) {
      const r = id.findLanguage(t);
      const base = r.language.split('-')[0];
      const code = r.language === 'und' ? 'und' : CLD3_MAP[base] || base;
      return { raw: r.language, code, conf: r.probability, reliable: r.is_reliable };
    },
  };
}

// Library-agnostic pre-clean: drop URLs, @mentions, #hashtags; if < 3 letters remain -> 'und'.
function preclean(t) {
  const s = String(t ?? '')
    .replace(/https?:\/\/\S+|www\.\S+/giu, ' ')
    .replace(/[#@][\p{L}\p{M}\p{N}_.]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  const letters = (s.match(/\p{L}/gu) || []).length;
  return { text: s, und: letters < 3 };
}

// Library-specific "und" rules (native confidence signals)
const UND_RULES = {
  franc: { desc: "franc returned 'und' (text < 10 chars / no script)", fn: (r) => r.code === 'und' },
  'franc-min': { desc: "franc returned 'und'", fn: (r) => r.code === 'und' },
  'eld-large': { desc: "language==='' || !isReliable()", fn: (r) => r.code === 'und' || !r.reliable },
  'eld-medium': { desc: "language==='' || !isReliable()", fn: (r) => r.code === 'und' || !r.reliable },
  'eld-small': { desc: "language==='' || !isReliable()", fn: (r) => r.code === 'und' || !r.reliable },
  'eld-extrasmall': { desc: "language==='' || !isReliable()", fn: (r) => r.code === 'und' || !r.reliable },
  tinyld: { desc: "detectAll()[0] missing || accuracy < 0.5", fn: (r) => r.code === 'und' || r.conf < 0.5 },
  'tinyld-heavy': { desc: "detectAll()[0] missing || accuracy < 0.5", fn: (r) => r.code === 'und' || r.conf < 0.5 },
  'cld3-asm': { desc: "language==='und' || !is_reliable", fn: (r) => r.code === 'und' || !r.reliable },
};

// ---------------------------------------------------------------------------------------------
// Child: measure one library
// ---------------------------------------------------------------------------------------------
function loadSpeedTexts() {
  const files = fs.readdirSync(COMMENTS_DIR).filter((f) => f.endsWith('.json')).sort();
  const texts = [];
  let nFiles = 0;
  for (const f of files) {
    const j = JSON.parse(fs.readFileSync(path.join(COMMENTS_DIR, f), 'utf8'));
    nFiles++;
    for (const c of j.comments || []) {
      texts.push(typeof c.text === 'string' ? c.text : '');
      if (texts.length >= N_SPEED) return { texts, nFiles };
    }
  }
  return { texts, nFiles };
}

function longTexts() {
  const en =
    'I honestly did not expect this video to be so helpful, but after watching it twice I finally understood ' +
    'how to set up the camera, adjust the lighting and edit the clips without losing quality. ';
  const es =
    'La verdad es que no esperaba que este vídeo fuera tan útil, pero después de verlo dos veces por fin ' +
    'entendí cómo configurar la cámara, ajustar la luz y editar los clips sin perder calidad. ';
  const rep = (s, n) => {
    let o = '';
    while (o.length < n) o += s;
    return o.slice(0, n);
  };
  return {
    empty: '',
    spaces: '   ',
    long_en_100k: rep(en, 100_000),
    long_es1k_then_en50k: rep(es, 1_200) + ' ' + rep(en, 50_000),
  };
}

async function child(libId) {
  const A = ADAPTERS[libId];
  ({ iso6393To1 } = await imp('iso-639-3'));
  const labelled = JSON.parse(fs.readFileSync(path.join(HERE, 'labelled.json'), 'utf8')).items;
  const { texts: speedTexts, nFiles } = loadSpeedTexts();
  const edges = longTexts();

  // ---- load time + memory
  global.gc?.();
  global.gc?.();
  const mem0 = process.memoryUsage();
  const t0 = performance.now();
  const lib = await A.make();
  const t1 = performance.now();
  lib.detect('warm up the detector with one ordinary sentence please');
  const t2 = performance.now();
  global.gc?.();
  global.gc?.();
  const mem1 = process.memoryUsage();
  const load = {
    importInitMs: t1 - t0,
    firstCallMs: t2 - t1,
    rssDeltaMB: (mem1.rss - mem0.rss) / 2 ** 20,
    heapDeltaMB: (mem1.heapUsed - mem0.heapUsed) / 2 ** 20,
    externalDeltaMB: (mem1.external + mem1.arrayBuffers - mem0.external - mem0.arrayBuffers) / 2 ** 20,
  };

  // ---- accuracy on the labelled set
  const rows = labelled.map((it) => {
    const r = lib.detect(it.text);
    const pc = preclean(it.text);
    const rp = pc.und ? { code: 'und', conf: 0, reliable: false, raw: '(preclean)' } : lib.detect(pc.text);
    return { text: it.text, gold: it.lang, r, rp };
  });

  // ---- edge cases
  const edgeOut = {};
  for (const [k, t] of Object.entries(edges)) {
    const s = performance.now();
    let out;
    try {
      out = lib.detect(t);
    } catch (e) {
      out = { error: String(e && e.message) };
    }
    edgeOut[k] = { chars: t.length, ms: performance.now() - s, ...out };
  }
  for (const [k, v] of [['undefined', undefined], ['null', null]]) {
    try {
      edgeOut[k] = { ...lib.detect(v) };
    } catch (e) {
      edgeOut[k] = { error: String(e && e.message).slice(0, 80) };
    }
  }

  // ---- speed (single thread)
  for (let i = 0; i < Math.min(1000, speedTexts.length); i++) lib.detect(speedTexts[i]);
  const passes = [];
  let sink = 0;
  for (let p = 0; p < SPEED_PASSES; p++) {
    const s = performance.now();
    for (let i = 0; i < speedTexts.length; i++) sink += lib.detect(speedTexts[i]).code.length;
    passes.push(speedTexts.length / ((performance.now() - s) / 1000));
  }
  passes.sort((a, b) => a - b);
  // distribution of labels on the real comments (sanity check)
  const dist = {};
  for (let i = 0; i < speedTexts.length; i++) {
    const c = lib.detect(speedTexts[i]).code;
    dist[c] = (dist[c] || 0) + 1;
  }
  const topDist = Object.entries(dist)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);

  process.stdout.write(
    JSON.stringify({
      libId,
      load,
      rows,
      edges: edgeOut,
      speed: { n: speedTexts.length, nFiles, textsPerSec: passes[Math.floor(passes.length / 2)], passes, sink },
      topDist,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Parent: run children, aggregate, print
// ---------------------------------------------------------------------------------------------
function dirSize(p) {
  let n = 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    const q = path.join(p, e.name);
    if (e.isDirectory()) n += dirSize(q);
    else if (e.isFile()) n += fs.statSync(q).size;
  }
  return n;
}
function installedSize(name, seen = new Set()) {
  if (seen.has(name)) return 0;
  seen.add(name);
  let n = dirSize(pkgDir(name));
  for (const d of Object.keys(readPkg(name).dependencies || {})) n += installedSize(d, seen);
  return n;
}
function npmView(name, version) {
  try {
    const t = JSON.parse(execFileSync('npm', ['view', name, 'time', '--json'], { encoding: 'utf8', timeout: 30000 }));
    return { versionPublished: t[version] || null, modified: t.modified || null };
  } catch {
    return { versionPublished: null, modified: null };
  }
}

function score(rows, pick, undRule, alias = {}) {
  const per = {};
  for (const l of [...LANGS, 'und']) per[l] = { n: 0, ok: 0 };
  for (const row of rows) {
    const r = pick(row);
    let pred = undRule && undRule(r) ? 'und' : r.code;
    pred = alias[pred] || pred;
    per[row.gold].n++;
    if (pred === row.gold) per[row.gold].ok++;
  }
  const langN = LANGS.reduce((a, l) => a + per[l].n, 0);
  const langOk = LANGS.reduce((a, l) => a + per[l].ok, 0);
  const out = {};
  for (const l of [...LANGS, 'und']) out[l] = per[l].ok / per[l].n;
  out.overall6 = langOk / langN;
  out.overallAll = (langOk + per.und.ok) / (langN + per.und.n);
  return out;
}

function confusions(rows, pick) {
  const c = {};
  for (const row of rows) {
    const p = pick(row).code;
    if (p !== row.gold) {
      const k = `${row.gold}->${p}`;
      c[k] = (c[k] || 0) + 1;
    }
  }
  return Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
}

function sweep(rows, pick) {
  // for conf thresholds: share of und items caught vs share of labelled items kept correct
  const out = [];
  for (const th of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const s = score(rows, pick, (r) => r.code === 'und' || (r.conf ?? 1) < th);
    out.push({ th, und: s.und, acc6: s.overall6 });
  }
  return out;
}

const pct = (x) => (x * 100).toFixed(1).padStart(5);
const fmt = (x, d = 1) => Number(x).toFixed(d);

async function parent(argv) {
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : Object.keys(ADAPTERS);
  const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : null;
  const useRegistry = !argv.includes('--no-registry');
  const results = {};
  for (const libId of only) {
    const A = ADAPTERS[libId];
    if (!A) throw new Error(`unknown lib ${libId}; known: ${Object.keys(ADAPTERS).join(', ')}`);
    process.stderr.write(`measuring ${libId} ...\n`);
    const p = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', libId], {
      encoding: 'utf8',
      maxBuffer: 256 * 2 ** 20,
      env: process.env,
    });
    if (p.status !== 0) {
      process.stderr.write(`  ${libId} failed:\n${p.stderr}\n`);
      continue;
    }
    if (p.stderr.trim()) process.stderr.write(`  [${libId} stderr] ${p.stderr.trim().slice(0, 300)}\n`);
    const r = JSON.parse(p.stdout);
    const pkg = readPkg(A.pkg);
    const ex = JSON.stringify(pkg.exports || {});
    const format = ex.includes('"import"') && ex.includes('"require"') ? 'dual ESM/CJS' : pkg.type === 'module' ? 'ESM-only' : 'CJS';
    r.pkg = { name: A.pkg, version: pkg.version, license: pkg.license, type: format, engines: pkg.engines || null };
    r.pkg.sizeMB = installedSize(A.pkg) / 2 ** 20;
    if (useRegistry) Object.assign(r.pkg, npmView(A.pkg, pkg.version));
    r.note = A.note;
    const raw = (row) => row.r;
    const pre = (row) => row.rp;
    r.acc = {
      raw: score(r.rows, raw),
      rawNativeUnd: score(r.rows, raw, UND_RULES[libId].fn),
      pre: score(r.rows, pre),
      preNativeUnd: score(r.rows, pre, UND_RULES[libId].fn),
    };
    if (libId.startsWith('eld')) {
      // eld has no Indonesian model, only Malay ('ms')
      r.acc.raw_msAsId = score(r.rows, raw, null, { ms: 'id' });
      r.acc.pre_msAsId = score(r.rows, pre, null, { ms: 'id' });
      r.acc.preNativeUnd_msAsId = score(r.rows, pre, UND_RULES[libId].fn, { ms: 'id' });
    }
    r.confusionsRaw = confusions(r.rows, raw);
    r.undOutputs = [
      ...new Set(r.rows.filter((x) => x.gold === 'und').map((x) => `${x.r.raw || "''"}`)),
    ].join(',');
    r.undConf = r.rows
      .filter((x) => x.gold === 'und' && x.r.code !== 'und')
      .map((x) => x.r.conf)
      .filter((x) => x != null);
    r.sweepRaw = sweep(r.rows, raw);
    results[libId] = r;
  }

  // -------- print
  const L = (s) => console.log(s);
  L(`\n# Language-ID comparison (node ${process.version}, ${new Date().toISOString()})`);
  L(`labelled set: ${path.join(HERE, 'labelled.json')}`);
  L(`\n## Accuracy, raw text, library output only (% correct; und = emoji/hashtag-only texts answered 'und'/'')`);
  L(`lib              ${LANGS.map((l) => l.padStart(5)).join(' ')}   all6   und`);
  for (const [id, r] of Object.entries(results)) {
    const a = r.acc.raw;
    L(`${id.padEnd(16)} ${LANGS.map((l) => pct(a[l])).join(' ')}  ${pct(a.overall6)} ${pct(a.und)}`);
    if (r.acc.raw_msAsId) {
      const b = r.acc.raw_msAsId;
      L(`${(id + ' ms->id').padEnd(16)} ${LANGS.map((l) => pct(b[l])).join(' ')}  ${pct(b.overall6)} ${pct(b.und)}`);
    }
  }
  L(`\n## With 'und' handling (all6 = accuracy on the 240 language texts; und = share of 22 und texts caught)`);
  L(`lib              raw+native-rule   preclean        preclean+native   native rule`);
  for (const [id, r] of Object.entries(results)) {
    const c = (s) => `${pct(s.overall6)}/${pct(s.und)}`;
    const extra = r.acc.preNativeUnd_msAsId ? `  (ms->id: ${c(r.acc.preNativeUnd_msAsId)})` : '';
    L(`${id.padEnd(16)} ${c(r.acc.rawNativeUnd)}    ${c(r.acc.pre)}    ${c(r.acc.preNativeUnd)}   ${UND_RULES[id].desc}${extra}`);
  }
  L(`\n## What each lib returns for the und texts (raw), conf of non-und answers, threshold sweep (th: all6/und)`);
  for (const [id, r] of Object.entries(results)) {
    const cs = r.undConf.length ? `conf ${fmt(Math.min(...r.undConf), 2)}..${fmt(Math.max(...r.undConf), 2)}` : 'n/a';
    L(`${id.padEnd(16)} outputs: ${r.undOutputs} | ${cs}`);
    L(`${''.padEnd(16)} sweep: ${r.sweepRaw.map((s) => `${s.th}:${pct(s.acc6).trim()}/${pct(s.und).trim()}`).join(' ')}`);
    L(`${''.padEnd(16)} top confusions: ${r.confusionsRaw}`);
  }
  L(`\n## Speed / load / size`);
  L(`lib              texts/s  import+init ms  1st call ms  RSS delta MB  heap MB  size MB  licence     version  format`);
  for (const [id, r] of Object.entries(results)) {
    L(
      `${id.padEnd(16)} ${fmt(r.speed.textsPerSec, 0).padStart(7)}  ${fmt(r.load.importInitMs).padStart(14)}  ${fmt(r.load.firstCallMs).padStart(11)}  ${fmt(r.load.rssDeltaMB).padStart(12)}  ${fmt(r.load.heapDeltaMB).padStart(7)}  ${fmt(r.pkg.sizeMB).padStart(7)}  ${String(r.pkg.license).padEnd(10)}  ${r.pkg.version.padEnd(7)}  ${r.pkg.type}`,
    );
  }
  const any = Object.values(results)[0];
  if (any) L(`(speed: ${any.speed.n} real comments from ${any.speed.nFiles} files, median of ${SPEED_PASSES} passes, single thread)`);
  if (useRegistry) {
    L(`\n## Registry dates (npm view <pkg> time): published date of installed version / time.modified`);
    for (const [id, r] of Object.entries(results)) L(`${id.padEnd(16)} ${r.pkg.name}@${r.pkg.version}: ${r.pkg.versionPublished} / ${r.pkg.modified}`);
  }
  L(`\n## Edge cases: raw output (ms per call)`);
  for (const [id, r] of Object.entries(results)) {
    const e = r.edges;
    const f = (x) => (x.error ? `THROWS(${x.error})` : `${JSON.stringify(x.raw)}${x.reliable === false ? '(unreliable)' : ''}${x.ms != null ? ` ${fmt(x.ms, 2)}ms` : ''}`);
    L(`${id.padEnd(16)} ""=${f(e.empty)} "   "=${f(e.spaces)} 100k-en=${f(e.long_en_100k)} 1.2k-es+50k-en=${f(e.long_es1k_then_en50k)} undefined=${f(e.undefined)} null=${f(e.null)}`);
  }
  L(`\n## Label distribution on the real comments (top 8)`);
  for (const [id, r] of Object.entries(results)) L(`${id.padEnd(16)} ${r.topDist.map(([k, v]) => `${k}:${v}`).join(' ')}`);

  if (jsonOut) {
    for (const r of Object.values(results)) delete r.rows;
    fs.writeFileSync(jsonOut, JSON.stringify(results, null, 1));
    L(`\nwrote ${jsonOut}`);
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1]);
else await parent(argv);
