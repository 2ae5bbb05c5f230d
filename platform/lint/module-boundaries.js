// Lint rules for the layers of platform/src (README, "Dependency rules"):
//
//   vigie/module-boundaries  a module imports another module only through its
//                            index.ts; the libraries (core, lib, config) are open.
//   vigie/no-import-cycle    no runtime import closes a cycle between the
//                            folders of platform/src.
//
// The folder graph is built once per lint run from the runtime imports of
// every source file (type-only imports are erased at compile time and do not
// count), so the cycle rule sees the whole tree whichever file it checks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../src');
/** Folders whose files anyone may import: the contract and the shared libraries. */
export const LIBRARIES = new Set(['core', 'lib', 'config']);

function isTestFile(file) {
  return /\.test\.tsx?$/.test(file) || file.split(path.sep).includes('testing');
}

/** The top-level folder of platform/src a file belongs to, or null outside (or at the root of) src. */
export function folderOf(file) {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : null;
}

function resolveTarget(file, spec) {
  return path.resolve(path.dirname(file), spec);
}

const IMPORT = /^(import|export)\s+(type\s+)?([^;]*?)\s*from\s+'(\.[^']+)'/gm;

/** Relative specifiers a file imports at runtime (type-only imports left out). */
export function runtimeImports(text) {
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    if (m[2]) continue;
    const body = m[3].trim();
    if (body.startsWith('{') && body.endsWith('}')) {
      const items = body
        .slice(1, -1)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length > 0 && items.every((s) => s.startsWith('type '))) continue;
    }
    out.push(m[4]);
  }
  for (const m of text.matchAll(/^import\s+'(\.[^']+)'/gm)) out.push(m[1]);
  return out;
}

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.ts$/.test(name) && !isTestFile(p)) out.push(p);
  }
  return out;
}

let cached;
/** folder → folder → one file that makes the edge (for the message). */
export function folderGraph() {
  if (cached) return cached;
  const graph = new Map();
  for (const file of walk(SRC, [])) {
    const from = folderOf(file);
    if (!from) continue;
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      const to = folderOf(resolveTarget(file, spec));
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from).has(to)) graph.get(from).set(to, path.relative(SRC, file));
    }
  }
  cached = graph;
  return graph;
}

/** A path of folders from `start` back to `goal`, or null. */
export function pathBetween(graph, start, goal) {
  const seen = new Set([start]);
  const queue = [[start]];
  while (queue.length > 0) {
    const route = queue.shift();
    const last = route[route.length - 1];
    for (const next of graph.get(last)?.keys() ?? []) {
      if (next === goal) return [...route, next];
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([...route, next]);
      }
    }
  }
  return null;
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

function visitor(context, check) {
  const file = context.filename;
  const from = folderOf(file);
  if (!from || isTestFile(file)) return {};
  const visit = (node) => {
    const spec = node.source?.value;
    if (typeof spec !== 'string' || !spec.startsWith('.')) return;
    const target = resolveTarget(file, spec);
    const to = folderOf(target);
    if (!to || to === from) return;
    check(node, { from, to, target, spec });
  };
  return { ImportDeclaration: visit, ExportNamedDeclaration: visit, ExportAllDeclaration: visit };
}

const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'A module imports another module only through its index.ts.' },
    schema: [],
  },
  create(context) {
    return visitor(context, (node, { to, target, spec }) => {
      if (LIBRARIES.has(to)) return;
      if (/^index\.(js|ts)$/.test(path.basename(target))) return;
      context.report({
        node: node.source,
        message: `'${spec}' reaches into the ${to} module: import it from '../${to}/index.js' (export what you need there).`,
      });
    });
  },
};

const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'No runtime import closes a cycle between the folders of platform/src.' },
    schema: [],
  },
  create(context) {
    return visitor(context, (node, { from, to }) => {
      if (isTypeOnly(node)) return;
      const graph = folderGraph();
      const back = pathBetween(graph, to, from);
      if (!back) return;
      context.report({
        node: node.source,
        message: `Import cycle between folders: ${[from, ...back].join(' → ')} (${back
          .slice(0, -1)
          .map((f, i) => graph.get(f).get(back[i + 1]))
          .join(', ')}).`,
      });
    });
  },
};

export default { rules: { 'module-boundaries': moduleBoundaries, 'no-import-cycle': noImportCycle } };
