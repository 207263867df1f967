/**
 * Summarises a V8 .cpuprofile (from node --cpu-prof): self time by package
 * or file, and the heaviest functions. `node --import tsx bench/profile-summary.ts FILE`.
 */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const file = process.argv[2];
if (!file) throw new Error("usage: profile-summary <file.cpuprofile>");
const profile = JSON.parse(await readFile(file, "utf8")) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function area(url: string): string {
  if (!url) return "(native / V8)";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1] as string;
  if (url.startsWith("node:")) return "node core";
  return url.replace(/^.*\/work\/[^/]+\//, "");
}

const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  areas.set(area(url), (areas.get(area(url)) ?? 0) + us);
  const key = `${functionName || "(anonymous)"} ${area(url)}:${lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
}
const top = (map: Map<string, number>, n: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
console.log(`self time by area (${(total / 1e6).toFixed(1)} s sampled):\n${top(areas, 12).join("\n")}`);
console.log(`\nheaviest functions:\n${top(functions, 15).join("\n")}`);
