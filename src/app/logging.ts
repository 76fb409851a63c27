/**
 * The process logger: pino JSON lines to stdout and to DIR/logs/hotline.log
 * (OPS-4). The returned flush() drains the file before exit.
 */
import { join } from 'node:path';
import pino, { type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config.ts';

export interface ProcessLogger {
  logger: PinoLogger;
  file: string;
  flush(): void;
}

export function createProcessLogger(dataDir: string, level: LogLevel, stdout: NodeJS.WritableStream = process.stdout): ProcessLogger {
  const file = join(dataDir, 'logs', 'hotline.log');
  const fileStream = pino.destination({ dest: file, mkdir: true, sync: false });
  const streams = pino.multistream([
    { level: level === 'silent' ? 'fatal' : level, stream: stdout },
    { level: level === 'silent' ? 'fatal' : level, stream: fileStream },
  ]);
  const logger = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, streams);
  return {
    logger,
    file,
    flush() {
      try {
        fileStream.flushSync();
      } catch {
        // Nothing was buffered yet, or the stream is already closed.
      }
    },
  };
}
