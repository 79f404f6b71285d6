/**
 * What the load benchmark's processes share: waiting for one IPC message from a child (or its early
 * exit), stopping a child politely, and the host side's RSS sample after a full GC. Kept apart so the
 * message-rate scenarios (scenarios.ts) and the idle-connection run (idle.ts) measure the same way.
 */
import type { ChildProcess } from 'node:child_process';

/** One message of `type` from a child over IPC; an `{type:'error'}` message, an exit or the timeout rejects. */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${type}`)), timeoutMs);
    const onMessage = (m: { type?: string; error?: string }) => {
      if (m?.type === 'error') done(new Error(m.error));
      else if (m?.type === type) done(null, m as T);
    };
    const onExit = (code: number | null) => done(new Error(`process exited (${code}) before ${type}`));
    const done = (err: Error | null, m?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Asks a child to close (`{type:'close'}`) and waits for its exit; kills it after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'close' });
  else child.kill();
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => (child.kill('SIGKILL'), resolve()), graceMs);
    child.once('exit', () => (clearTimeout(t), resolve()));
  });
}

/**
 * Memory after a full GC (needs `--expose-gc`): the median of five samples 100 ms apart (one sample is
 * noisy at this scale) of RSS and of the live JavaScript heap plus memory held outside it by JS objects
 * (`heapUsed + external`: sockets' buffers, for instance). RSS is what the machine pays; it also counts
 * pages the heap had reserved before, so the live figure is the check on it.
 */
export async function memorySample(): Promise<{ rss: number; live: number }> {
  const rss: number[] = [];
  const live: number[] = [];
  for (let i = 0; i < 5; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 100));
    const m = process.memoryUsage();
    rss.push(m.rss);
    live.push(m.heapUsed + m.external);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
  return { rss: median(rss), live: median(live) };
}

/** RSS after a full GC (see memorySample). */
export async function rssSample(): Promise<number> {
  return (await memorySample()).rss;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
