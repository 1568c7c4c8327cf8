// The bundles cut into layers (scripts/bundle-layers.mjs, scripts/build.mjs):
// the pure steps on small graphs, and the files the build really wrote
// (tests/global-setup.ts builds before any test file runs).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  evaluationOrder,
  layerEntrySource,
  neededOutputs,
  packLayers,
} from "../../scripts/bundle-layers.mjs";

type Inputs = Record<string, { imports: { path: string; external?: boolean }[] }>;
const graph = (edges: Record<string, string[]>): Inputs =>
  Object.fromEntries(
    Object.entries(edges).map(([k, v]) => [k, { imports: v.map((path) => ({ path })) }]),
  );

describe("evaluationOrder", () => {
  it("puts every module after the modules it imports, each once, in import order", () => {
    const inputs = graph({ entry: ["a", "b"], a: ["c", "d"], b: ["d", "c"], c: [], d: ["c"] });
    expect(evaluationOrder(inputs, "entry")).toEqual(["c", "d", "a", "b", "entry"]);
  });

  it("follows a cycle's back edge once and skips externals and unknown paths", () => {
    const inputs = graph({ entry: ["a"], a: ["b", "ext", "gone"], b: ["a"] });
    inputs.a!.imports[1]!.external = true;
    expect(evaluationOrder(inputs, "entry")).toEqual(["b", "a", "entry"]);
  });

  it("walks a long chain without recursion", () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 100_000; i++) edges["m" + i] = i + 1 < 100_000 ? ["m" + (i + 1)] : [];
    const order = evaluationOrder(graph(edges), "m0");
    expect(order.length).toBe(100_000);
    expect(order[0]).toBe("m99999");
  });
});

describe("packLayers", () => {
  const sizes: Record<string, number> = { a: 30, b: 30, c: 50, d: 120, e: 0, f: 10 };
  const sizeOf = (p: string): number => sizes[p] ?? 0;

  it("packs consecutive modules up to the budget; a larger module is a layer alone", () => {
    expect(packLayers(["a", "b", "c", "d", "e", "f"], sizeOf, 100)).toEqual([
      ["a", "b"],
      ["c"],
      ["d", "e"],
      ["f"],
    ]);
  });

  it("keeps every module, in order", () => {
    const order = ["a", "b", "c", "d", "e", "f"];
    for (const budget of [1, 50, 60, 1000])
      expect(packLayers(order, sizeOf, budget).flat()).toEqual(order);
    expect(packLayers([], sizeOf, 10)).toEqual([]);
  });
});

describe("layerEntrySource and neededOutputs", () => {
  it("layer k's entry re-exports the modules of layers 1..k", () => {
    const layers = [["src/a.ts"], ["src/b.ts", "src/c.ts"], ["src/d.ts"]];
    const src = layerEntrySource(layers, 1, (p: string) => "./" + p.replace(/\.ts$/, ""));
    expect(src).toBe(
      'export * from "./src/a";\nexport * from "./src/b";\nexport * from "./src/c";\n',
    );
  });

  it("needs what the roots import, transitively, and nothing else", () => {
    const outputs = graph({ root: ["x"], x: ["y"], y: [], stray: ["y"] });
    expect([...neededOutputs(outputs, ["root"])].sort()).toEqual(["root", "x", "y"]);
  });
});

describe.each(["proxmon", "demo", "settings"])("the built %s.mjs (contents/code)", (name) => {
  const dir = "contents/code";
  const files = readdirSync(dir).filter((f) => new RegExp(`^${name}(-\\d+)?\\.mjs$`).test(f));
  const importsOf = (f: string): string[] =>
    Array.from(
      readFileSync(`${dir}/${f}`, "utf8").matchAll(/^\} from "\.\/([^"]+)";$/gm),
      (m) => m[1]!,
    );

  it("is cut into layers, none larger than the budget allows", () => {
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(readFileSync(`${dir}/${f}`).length, f).toBeLessThan(56 * 1024);
  });

  it("imports every layer from the top file, each only from layers before it", () => {
    const reached = new Set<string>();
    const stack = [`${name}.mjs`];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (reached.has(f)) continue;
      reached.add(f);
      expect(existsSync(`${dir}/${f}`), f).toBe(true);
      const own = f === `${name}.mjs` ? Infinity : Number(/-(\d+)\.mjs$/.exec(f)![1]);
      for (const dep of importsOf(f)) {
        const layer = new RegExp(`^${name}-(\\d+)\\.mjs$`).exec(dep);
        expect(layer, `${f} imports ${dep}`).not.toBeNull();
        expect(Number(layer![1]), `${f} imports ${dep}`).toBeLessThan(own);
        stack.push(dep);
      }
    }
    expect([...reached].sort()).toEqual([...files].sort());
  });
});
