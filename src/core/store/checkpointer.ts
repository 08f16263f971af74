import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Frames a checkpoint may leave behind for the main connection to copy (see {@link Checkpointer}). */
const TAIL_FRAMES = 256;
/** Below this many frames in the log, the worker does not ask for a restart: a small log costs nothing. */
const RESTART_AT_FRAMES = 1024;

/**
 * Checkpoints the write-ahead log from a worker thread with its own
 * connection. SQLite's automatic checkpoint runs inside whichever commit
 * crosses the threshold and, with `synchronous=NORMAL`, fsyncs there: one
 * merchant request in a hundred paid for it (measured: creation throughput
 * halved). Here the main connection never checkpoints inside a commit; the
 * worker copies the log into the database every `intervalMs` (PASSIVE: writers
 * are never blocked), so the big copy and its fsync happen off the event loop.
 * Durability is unchanged: a commit is in the log, in the OS, when the merchant
 * is answered.
 *
 * The log only starts again from its beginning when a write finds it wholly
 * copied, and under steady traffic a copy made from another thread never is:
 * more frames arrive while it runs. Left alone, the log grew by 20 MB a second
 * under load (without end, and every read searched it: a query by order number
 * took three times as long). So the worker repeats its copy until little is
 * left, then `onTail` asks the main connection to copy that little itself,
 * between two commits: the next write then restarts the log.
 */
export class Checkpointer {
  private readonly worker: Worker;

  constructor(file: string, onTail: () => void, intervalMs = 1000) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads');
      const Database = require(workerData.driver);
      let db = null;
      try {
        db = new Database(workerData.file, { fileMustExist: true });
      } catch {
        // The store was closed and its directory removed before this thread started: nothing to checkpoint.
      }
      // A pass copies the log as it was when the pass began; the main thread keeps committing meanwhile. Passes are
      // repeated while the last one found much more than the one before (the frames written during it).
      const checkpoint = () => {
        let copied = 0;
        for (let pass = 0; pass < 8; pass++) {
          let result;
          try { result = db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch { return; }
          if (result.busy) return;
          const added = result.log - copied;
          copied = result.log;
          if (added <= workerData.tail) break;
        }
        if (copied >= workerData.restartAt) parentPort.postMessage('tail');
      };
      if (db) {
        db.pragma('busy_timeout = 5000');
        const timer = setInterval(checkpoint, workerData.intervalMs);
        parentPort.on('message', (message) => {
          if (message !== 'stop') return;
          clearInterval(timer);
          try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
          db.close();
          parentPort.postMessage('stopped');
        });
      }
      `,
      { eval: true, workerData: { driver, file, intervalMs, tail: TAIL_FRAMES, restartAt: RESTART_AT_FRAMES } },
    );
    this.worker.on('message', (message) => {
      if (message === 'tail') onTail();
    });
    this.worker.unref();
  }

  /** Stops the worker at once, without a last checkpoint (the store closed without {@link stop}: a failed start). */
  terminate(): void {
    void this.worker.terminate();
  }

  /** Stops the worker after a last checkpoint. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timeout = setTimeout(resolve, 2000);
      const done = (message?: unknown) => {
        if (message !== undefined && message !== 'stopped') return;
        clearTimeout(timeout);
        resolve();
      };
      this.worker.on('message', done);
      this.worker.once('exit', () => done());
      this.worker.postMessage('stop');
    });
    await this.worker.terminate();
  }
}
