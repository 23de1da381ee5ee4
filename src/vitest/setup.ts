/*
 * The plugin's setup file, run by vitest in each worker before the test files. vitest loads it
 * through Vite, so `vitest` is the project's own; `./worker.js` is loaded by Node (the plugin
 * marks race-hunt's files external), the same copy of race-hunt that the test files import.
 */
import { expect } from 'vitest';
import { setUpVitestWorker } from './worker.js';

setUpVitestWorker(expect);
