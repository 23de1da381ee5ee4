import type { BlockedTask, Violation } from '../core/violation.js';
import type { Continuation } from './options.js';
import type { Task } from './task.js';

/**
 * The deadlock report when nothing can run but work is unfinished: one entry per task, at
 * its innermost wait, with the awaits that lead there (`via`, innermost caller first).
 *
 * A task's last segment suspended first at its innermost await, then at each caller's await
 * as the promises returned up the chain (so: ascending creation order); awaits from earlier
 * segments are callers further out (the more recent, the closer).
 */
export function diagnoseDeadlock(everWaited: readonly Continuation[], tasks: readonly Task[]): Violation {
  const byTask = new Map<Task, Continuation[]>();
  for (const cont of everWaited) {
    if (!cont.waiting) continue;
    const list = byTask.get(cont.owner);
    if (list === undefined) byTask.set(cont.owner, [cont]);
    else list.push(cont);
  }
  const blocked: BlockedTask[] = [...byTask].map(([task, conts]) => {
    const recent = (c: Continuation): boolean => c.seq >= task.resumedAt;
    const [inner, ...outer] = conts.sort((a, b) =>
      recent(a) !== recent(b) ? (recent(a) ? -1 : 1) : recent(a) ? a.seq - b.seq : b.seq - a.seq,
    );
    return { task: task.name, location: inner!.location, ...(outer.length === 0 ? {} : { via: outer.map((c) => c.location) }) };
  });
  for (const task of tasks) {
    if (task.started && !task.settled && !byTask.has(task)) blocked.push({ task: task.name });
  }
  const names = [...new Set(blocked.map((b) => b.task))];
  const message =
    names.length === 0
      ? 'work is unfinished but nothing can run'
      : `${names.join(', ')} ${names.length === 1 ? 'waits' : 'wait'} forever; nothing else can run`;
  return { kind: 'deadlock', message, blocked };
}
