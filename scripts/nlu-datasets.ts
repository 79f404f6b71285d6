#!/usr/bin/env node
/**
 * `node --import tsx scripts/nlu-datasets.ts`: writes the public evaluation sets, mapped to catalog ids
 * (packages/server/src/assistant/nlu/dataset-map.ts), as JSON lines {"text","intent","label"} into
 * bench/results/nlu/ (git-ignored: the sentences are not ours and never enter the repository).
 *   clinc-mapped.jsonl      CLINC150 train + val: mapped in-scope lines and out-of-scope lines
 *   banking77-mapped.jsonl  BANKING77 train: mapped lines only (it has no out-of-scope lines)
 * Then: npx carechat nlu eval --data bench/results/nlu/clinc-mapped.jsonl
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { datasetsDir, MAPPED_SETS, mappedSet } from '../packages/server/src/assistant/nlu/dataset-map.js';

const root = path.resolve(import.meta.dirname, '..');
const dir = datasetsDir(root);
if (!dir) {
  console.error(`nlu-datasets: ${path.resolve(root, '../shared/datasets')} is absent; nothing to write.`);
  process.exit(1);
}
const out = path.join(root, 'bench/results/nlu');
mkdirSync(out, { recursive: true });
for (const set of MAPPED_SETS) {
  const rows = mappedSet(dir, set);
  const file = path.join(out, `${set}-mapped.jsonl`);
  writeFileSync(
    file,
    rows.map((r) => JSON.stringify({ text: r.text, intent: r.intent, label: r.label })).join('\n') + '\n',
  );
  const oos = rows.filter((r) => r.intent === 'out_of_scope').length;
  console.log(
    `${path.relative(root, file)}: ${rows.length} lines (${rows.length - oos} in scope, ${oos} out of scope)`,
  );
}
