import { RaceHuntError } from '../core/errors.js';
import type { WorkerPool } from '../workers/pool.js';
import { JobFailed, WorkerLost } from '../workers/pool.js';
import type { ListResult } from '../workers/protocol.js';

/**
 * Loads a scenario module in a worker and lists its scenarios. A module that cannot load,
 * hangs or ends the process while it loads is that file's error (a `RaceHuntError`).
 */
export async function listIn(pool: WorkerPool, file: string, shown: string): Promise<ListResult> {
  try {
    return await pool.submit<ListResult>({ kind: 'list', path: file, shown });
  } catch (error) {
    if (error instanceof WorkerLost) {
      if (error.reason === 'closed') throw new RaceHuntError('LOAD_FAILED', `${shown} was not loaded: race-hunt was interrupted.`);
      throw new RaceHuntError('LOAD_FAILED', `${shown} could not be loaded: ${error.message} while loading it. Does the module loop forever, or exit, at its top level?`);
    }
    if (error instanceof JobFailed) throw new RaceHuntError(error.error.code ?? 'LOAD_FAILED', error.error.message);
    throw error;
  }
}
