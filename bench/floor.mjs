// The I/O floors of bench/run.mjs: what any KRM function built on js-yaml (the fastest YAML library here) pays.
//   node floor.mjs same-input          < input   load the input and dump it again
//   node floor.mjs fair OUTPUT.json    < input   load the input, then dump the function's exact output
// The fair floor needs the function's output as a value without parsing YAML: it reads it from JSON, and
// prints the CPU time that took (`json-cpu-ms N` on stderr) for the benchmark to take off its total.
import { readFileSync, writeSync } from 'node:fs';
import { dump, load } from 'js-yaml';

const [mode, outputJson] = process.argv.slice(2);
const input = load(readFileSync(0, 'utf8'));
let value = input;
if (mode === 'fair') {
  const before = process.cpuUsage();
  value = JSON.parse(readFileSync(outputJson, 'utf8'));
  const spent = process.cpuUsage(before);
  process.stderr.write(`json-cpu-ms ${(spent.user + spent.system) / 1000}\n`);
} else if (mode !== 'same-input') {
  throw new Error(`unknown floor ${mode}`);
}
const out = Buffer.from(dump(value, { noRefs: true, lineWidth: -1, quotingType: '"' }));
for (let offset = 0; offset < out.length;) offset += writeSync(1, out, offset);
