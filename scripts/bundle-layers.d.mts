// Types of bundle-layers.mjs (a build script, plain JavaScript) for its test.
interface ImportRecord {
  path: string;
  external?: boolean;
}
type Graph = Record<string, { imports: ImportRecord[] }>;

export function evaluationOrder(inputs: Graph, entry: string): string[];
export function packLayers(
  order: string[],
  sizeOf: (path: string) => number,
  budget: number,
): string[][];
export function layerEntrySource(
  layers: string[][],
  k: number,
  relativeTo: (path: string) => string,
): string;
export function neededOutputs(outputs: Graph, roots: string[]): Set<string>;
