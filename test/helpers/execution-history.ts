import type { EventLog } from './local-workflow';

/**
 * The history events a Standard execution writes, per event of a local run: a Lambda task state writes 5 (entered,
 * scheduled, started, succeeded or failed, exited), a Map state 4 (entered, started, succeeded, exited) and 2 per
 * iteration, any other state 2 (entered, exited), a retry 3 (failed, scheduled, started), the execution 2 (started,
 * ended). The local runner reports states entered and exited, so each maps to its share.
 */
const ON_ENTER: Record<string, number> = { Task: 3, Map: 2 };
const ON_EXIT: Record<string, number> = { Task: 2, Map: 2 };

export interface ExecutionSize {
  /** States entered: what a Standard workflow bills (state transitions). */
  readonly transitions: number;
  /** Events in the execution's history, which Step Functions caps at 25,000. */
  readonly historyEvents: number;
}

export function executionSize(events: readonly EventLog[]): ExecutionSize {
  let transitions = 0;
  let historyEvents = 0;
  for (const event of events) {
    switch (event.type) {
      case 'StateEntered':
        transitions++;
        historyEvents += ON_ENTER[event.state.type] ?? 1;
        break;
      case 'StateExited':
        historyEvents += ON_EXIT[event.state.type] ?? 1;
        break;
      case 'StateFailed':
        // A task that failed and was caught, or a Fail state: its closing events.
        historyEvents += ON_EXIT[event.state.type] ?? 1;
        break;
      case 'StateRetried':
        historyEvents += 3;
        break;
      default:
        // Execution started / ended, Map iterations started / ended.
        historyEvents++;
    }
  }
  return { transitions, historyEvents };
}
