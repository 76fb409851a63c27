import type { Logger } from '../../src/shared/logger.ts';

/** A logger that keeps what it is told, for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; obj: object | string; msg?: string }[] = [];
  debug(obj: object | string, msg?: string): void {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: object | string, msg?: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object | string, msg?: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object | string, msg?: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
  child(): Logger {
    return this;
  }
}

export const silentLogger: Logger = new MemoryLogger();
