/**
 * SQLite WAL checkpoints on a worker thread. In WAL mode a commit appends pages to the log; every so
 * often the log is copied back into the database file (a checkpoint), and with synchronous=NORMAL
 * that is where the fsyncs happen. Left to SQLite, the checkpoint runs inside whichever commit
 * crosses the threshold, on the event loop: under load every ~200th message commit took ~6 ms
 * instead of ~30 µs, a third of the store's time and the worst of the latency tail.
 *
 * Here a second connection on a worker thread runs a PASSIVE checkpoint every `intervalMs` (SQLite
 * allows checkpoints from another connection at any time; PASSIVE never blocks the writer or
 * readers). The main connection keeps automatic checkpoints with a higher threshold as a backstop,
 * should the worker lag or die. Durability is unchanged in kind (synchronous=NORMAL: a commit
 * survives a process crash at once and a power loss once checkpointed) and now bounded in time: a
 * quiet server checkpoints within `intervalMs` instead of waiting for 1000 pages of traffic.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker's code: plain CommonJS, so it runs the same under tsx, node and bundlers. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or transient: the next tick (or the writer's own backstop) catches up.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

export interface Checkpointer {
  /** Runs a last checkpoint and closes the worker's connection. */
  stop(): Promise<void>;
}

/** Starts checkpointing `file` (already in WAL mode) every `intervalMs` on a worker thread. */
export async function startCheckpointer(file: string, intervalMs: number): Promise<Checkpointer> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver } });
  worker.unref();
  let exited = false;
  const gone = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  // A failing worker only loses the offloading: the writer's automatic checkpoints still run.
  worker.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    void gone.then(() => reject(new Error('the checkpoint worker stopped while starting')));
  });
  return {
    async stop() {
      if (exited) return;
      const stopped = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([stopped, gone]);
      await worker.terminate();
    },
  };
}
