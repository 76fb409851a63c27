import { EngineError } from './engine-error.ts';

/**
 * RTP ports from a configured range (`--rtp-ports 20000-29999`). Only even
 * ports are handed out (RTP on even, RTCP on the odd one above, RFC 3550
 * 11), round-robin so a port just released is not reused at once (late
 * packets of the old call would land in the new one).
 */
export class PortPool {
  private readonly inUse = new Set<number>();
  private cursor: number;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    if (!(Number.isInteger(min) && Number.isInteger(max) && min > 0 && max <= 65535 && min <= max)) throw new RangeError(`bad RTP port range ${min}-${max}`);
    this.cursor = min + (min % 2);
  }

  get size(): number {
    return Math.floor((this.max - (this.min + (this.min % 2))) / 2) + 1;
  }

  get used(): number {
    return this.inUse.size;
  }

  allocate(): number {
    const first = this.min + (this.min % 2);
    for (let i = 0; i < this.size; i++) {
      const p = this.cursor;
      this.cursor = this.cursor + 2 > this.max ? first : this.cursor + 2;
      if (!this.inUse.has(p)) {
        this.inUse.add(p);
        return p;
      }
    }
    throw new EngineError('no-ports', `all ${this.size} RTP ports of ${this.min}-${this.max} are in use`);
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}
