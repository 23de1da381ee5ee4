import { scenario } from 'race-hunt';

// immediate-before-timer.mjs: Node always runs the immediate first.
export default scenario('phases: from a timer callback, an immediate runs before a 0 ms timer', {
  setup: () => ({ log: [] as string[] }),
  tasks: {
    arm: (s) =>
      new Promise<void>((done) =>
        setTimeout(() => {
          setTimeout(() => {
            s.log.push('timer');
            done();
          }, 0);
          setImmediate(() => s.log.push('immediate'));
        }, 0),
      ),
  },
  invariant: (s) => s.log.join(',') === 'immediate,timer' || `log is ${s.log.join(',')}`,
});
