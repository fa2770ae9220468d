// The I/O floor any KRM function pays: parse a ResourceList with js-yaml (the fastest YAML library here) and
// write it back with the same options the function uses.
import { readFileSync, writeSync } from 'node:fs';
import { dump, load } from 'js-yaml';

const text = readFileSync(0, 'utf8');
const out = Buffer.from(dump(load(text), { noRefs: true, lineWidth: -1, quotingType: '"' }));
for (let offset = 0; offset < out.length;) offset += writeSync(1, out, offset);
