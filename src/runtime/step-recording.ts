import { promiseHooks } from 'node:v8';
import { OPAQUE } from '../core/footprint.js';
import type { Chooser } from '../core/strategy.js';
import type { AccessRecorder } from './access-recorder.js';
import type { Option } from './options.js';
import { Continuation } from './options.js';
import { recordSettled, setRecorder } from './tracking-globals.js';

/**
 * For partial-order reduction: reports every step of a recorded phase to the chooser's
 * `stepped`, with what it touched (the recorder's footprint: its reads and writes, and those
 * of the `always` check after it). Open only while a chooser that wants it drives a phase,
 * so every other strategy pays nothing per await.
 */
export class StepRecording {
  private open: { readonly option: Option; readonly options: readonly Option[]; readonly decision: number } | undefined;
  private readonly stopSettleHook: () => void;

  constructor(
    private readonly chooser: Chooser,
    private readonly recorder: AccessRecorder | undefined,
  ) {
    if (recorder !== undefined) {
      recorder.active = true;
      setRecorder(recorder);
    }
    this.stopSettleHook = recorder === undefined ? () => {} : (promiseHooks.onSettled(recordSettled) as () => void);
  }

  /** A step begins. `decision`: the index of the decision that chose `option`, or -1 for a forced step. */
  begin(option: Option, options: readonly Option[], decision: number): void {
    this.close();
    this.open = { option, options, decision };
  }

  /** Reports the step that just finished, with everything it (and the check after it) touched. */
  close(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    const footprint = this.recorder?.takeFootprint() ?? OPAQUE;
    const option = open.option;
    const cont = option instanceof Continuation ? option : undefined;
    this.chooser.stepped!({
      option,
      options: open.options,
      decision: open.decision,
      createdBy: cont?.createdAt ?? -1,
      readiedBy: cont?.readiedAt ?? -1,
      // A timer step moves the clock and runs whatever was armed: it is ordered with every step.
      footprint: cont === undefined && option.kind === 'timer' ? OPAQUE : footprint,
    });
  }

  /** Reports the last step and stops recording (removes the settle hook). */
  stop(): void {
    this.close();
    this.stopSettleHook();
    if (this.recorder !== undefined) {
      this.recorder.active = false;
      setRecorder(undefined);
    }
  }
}
