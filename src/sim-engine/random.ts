// A seeded pseudo-random source, so one scenario and one seed always tell
// the same story: tests can assert on it and a bug report can replay it.
// The mixing function is mulberry32 (32-bit state, good enough for noise).

export type Random = () => number;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBetween(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

export function randomInt(random: Random, low: number, highInclusive: number): number {
  return Math.floor(randomBetween(random, low, highInclusive + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

export function randomHex(random: Random, digits: number): string {
  let out = "";
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}
