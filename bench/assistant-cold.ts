/** Cold start of the assistant's NLU in a fresh process: load the shipped model, classify once. Prints JSON. */
const t0 = performance.now();
const { defaultNluEngine } = await import('../packages/server/src/assistant/nlu/default-engine.js');
const engine = await defaultNluEngine();
const loadedMs = performance.now() - t0;
await engine.classify('I lost my card');
const firstMs = performance.now() - t0;
console.log(
  JSON.stringify({ engine: engine.name, loadMs: +loadedMs.toFixed(1), firstClassifyMs: +firstMs.toFixed(1) }),
);
