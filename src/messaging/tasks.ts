/**
 * Tasks a supervisor gives an agent (SUP-4) and their one state machine:
 * assigned -> in-progress -> done. Pure: no clock, no store. A move the
 * machine does not allow is refused with a typed code, never applied.
 */

export const TASK_STATUSES = ['assigned', 'in-progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Task {
  id: string;
  title: string;
  detail?: string;
  /** When it should be done (epoch ms). */
  dueAt?: number;
  /** The agent id it is assigned to. */
  assignee: string;
  createdBy: string;
  createdAt: number;
  status: TaskStatus;
  updatedAt: number;
}

export const TASK_ERROR_CODES = ['illegal-task-transition', 'task-not-yours', 'no-such-task'] as const;
export type TaskErrorCode = (typeof TASK_ERROR_CODES)[number];

export class TaskError extends Error {
  constructor(
    readonly code: TaskErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TaskError';
  }
}

/** The moves the machine allows, from each status. */
const NEXT: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  assigned: ['in-progress'],
  'in-progress': ['done'],
  done: [],
};

export function canMove(from: TaskStatus, to: TaskStatus): boolean {
  return NEXT[from].includes(to);
}

/** The task after moving it to `to` at `now`; TaskError `illegal-task-transition` when the machine has no such move. */
export function moveTask(task: Task, to: TaskStatus, now: number): Task {
  if (!canMove(task.status, to)) throw new TaskError('illegal-task-transition', `task ${task.id} cannot go from ${task.status} to ${to}`);
  return { ...task, status: to, updatedAt: now };
}

/** Open tasks are the ones not done yet (the desktop's reminder counts them). */
export function isOpen(task: Pick<Task, 'status'>): boolean {
  return task.status !== 'done';
}
