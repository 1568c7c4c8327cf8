// How each of the widget's bundles (the core, the demo, the settings page) is
// cut into modules the QML engine compiles one at a time (scripts/build.mjs).
// On a cold QML disk cache (the very first start after installing) the
// engine's loader thread compiles every .mjs, and the memory that took stays
// in that thread's malloc arena: glibc does not give it back, so plasmashell
// carries it until it restarts. Measured in the Plasma 6.3 host, it grows
// with the largest file compiled (~11 MiB for the single 272 KB bundle,
// ~3 MiB for a file of 82 KB), not with their sum, since each compile reuses
// what the one before freed.
//
// esbuild splits only along entry points, so the cut is made of entries:
// the modules in evaluation order (every module after those it imports) are
// packed into layers of at most `budget` bytes, and layer k's entry
// re-exports every module of layers 1..k. A module of layer k is then
// reached by exactly the entries of layers k..n (and the bundle's own), which
// is one chunk per layer. The layer entries' own outputs are dropped after
// the build; nothing the widget loads imports them. An import cycle between
// modules of different layers merges their chunks (still correct, only
// larger): cycles stay within a few small modules (the simulator's rrd.ts
// once reached all of api.ts, which made its whole engine one chunk).

/**
 * The modules reachable from `entry`, each after the modules it imports
 * (depth-first, in import order: the order an ES engine evaluates them).
 * `inputs` is an esbuild metafile's `inputs`. A cycle's back edge is not
 * followed twice, so every module appears once.
 */
export function evaluationOrder(inputs, entry) {
  const order = [];
  const seen = new Set([entry]);
  // An explicit stack: the module graph is ours, but no recursion depth
  // should depend on it.
  const stack = [{ path: entry, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const imports = (inputs[top.path] && inputs[top.path].imports) || [];
    if (top.next < imports.length) {
      const dep = imports[top.next++];
      if (dep.external || seen.has(dep.path) || !inputs[dep.path]) continue;
      seen.add(dep.path);
      stack.push({ path: dep.path, next: 0 });
    } else {
      order.push(top.path);
      stack.pop();
    }
  }
  return order;
}

/**
 * Consecutive runs of `order` whose sizes (bytes each module takes in the
 * output) add up to at most `budget`; a module larger than the budget is a
 * layer of its own. Modules of size 0 (pure re-export files) go with their
 * neighbours.
 */
export function packLayers(order, sizeOf, budget) {
  const layers = [];
  let current = [];
  let bytes = 0;
  for (const path of order) {
    const size = sizeOf(path);
    if (current.length > 0 && size > 0 && bytes + size > budget) {
      layers.push(current);
      current = [];
      bytes = 0;
    }
    current.push(path);
    bytes += size;
  }
  if (current.length > 0) layers.push(current);
  return layers;
}

/**
 * The source of layer `k`'s entry (0-based): `export *` of every module of
 * layers 0..k, as paths relative to `fromDir`. `export *` (not `export * as`)
 * so that esbuild builds no namespace objects the core would carry.
 */
export function layerEntrySource(layers, k, relativeTo) {
  const lines = [];
  for (let i = 0; i <= k; i++) {
    for (const path of layers[i]) lines.push(`export * from ${JSON.stringify(relativeTo(path))};`);
  }
  return lines.join("\n") + "\n";
}

/**
 * The files an output needs: itself and, transitively, every file it
 * imports (`outputs` is an esbuild metafile's `outputs`).
 */
export function neededOutputs(outputs, roots) {
  const needed = new Set();
  const stack = roots.slice();
  while (stack.length > 0) {
    const path = stack.pop();
    if (needed.has(path) || !outputs[path]) continue;
    needed.add(path);
    for (const imp of outputs[path].imports || []) if (!imp.external) stack.push(imp.path);
  }
  return needed;
}
