// An unref()ed interval keeps nothing alive: the program exits when its work is done, and
// the interval never fires.
const started = performance.now();
let fired = 0;
const interval = setInterval(() => fired++, 1000);
interval.unref();
await Promise.resolve();
process.on('exit', () => console.log(`fired ${fired}, hasRef ${interval.hasRef()}, exited after ${performance.now() - started < 500 ? 'under' : 'over'} 500 ms`));
