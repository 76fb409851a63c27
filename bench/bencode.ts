/**
 * Bencode (the BitTorrent encoding rtpengine's ng control protocol uses):
 * integers `i42e`, byte strings `4:spam`, lists `l...e`, dictionaries
 * `d...e` with keys sorted. Strings decode as UTF-8 text; that is all the
 * ng protocol carries (SDP, tags, flags).
 */
export type BValue = string | number | BValue[] | { [key: string]: BValue };

export class BencodeError extends Error {
  readonly code = 'bad-bencode';
  constructor(message: string) {
    super(`bad-bencode: ${message}`);
    this.name = 'BencodeError';
  }
}

export function bencode(v: BValue): Buffer {
  const parts: Buffer[] = [];
  const put = (x: BValue): void => {
    if (typeof x === 'number') {
      if (!Number.isInteger(x)) throw new BencodeError(`not an integer: ${x}`);
      parts.push(Buffer.from(`i${x}e`));
    } else if (typeof x === 'string') {
      const b = Buffer.from(x, 'utf8');
      parts.push(Buffer.from(`${b.length}:`), b);
    } else if (Array.isArray(x)) {
      parts.push(Buffer.from('l'));
      for (const item of x) put(item);
      parts.push(Buffer.from('e'));
    } else {
      parts.push(Buffer.from('d'));
      // keys sorted as raw byte strings
      for (const k of Object.keys(x).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
        put(k);
        put(x[k]!);
      }
      parts.push(Buffer.from('e'));
    }
  };
  put(v);
  return Buffer.concat(parts);
}

/** Decodes one value that must fill `buf` exactly. */
export function bdecode(buf: Uint8Array): BValue {
  let pos = 0;
  const digits = (end: number): number => {
    const text = Buffer.from(buf.subarray(pos, end)).toString('latin1');
    if (!/^-?\d+$/.test(text)) throw new BencodeError(`bad number "${text}" at ${pos}`);
    pos = end + 1;
    return Number(text);
  };
  const find = (ch: number): number => {
    const at = buf.indexOf(ch, pos);
    if (at < 0) throw new BencodeError(`unterminated value at ${pos}`);
    return at;
  };
  const value = (): BValue => {
    const c = buf[pos];
    if (c === undefined) throw new BencodeError('unexpected end');
    if (c === 0x69 /* i */) {
      pos++;
      return digits(find(0x65));
    }
    if (c === 0x6c /* l */) {
      pos++;
      const out: BValue[] = [];
      while (buf[pos] !== 0x65) out.push(value());
      pos++;
      return out;
    }
    if (c === 0x64 /* d */) {
      pos++;
      const out: { [key: string]: BValue } = {};
      while (buf[pos] !== 0x65) {
        const k = value();
        if (typeof k !== 'string') throw new BencodeError('dictionary key is not a string');
        out[k] = value();
      }
      pos++;
      return out;
    }
    if (c >= 0x30 && c <= 0x39) {
      const len = digits(find(0x3a));
      if (pos + len > buf.length) throw new BencodeError('string runs past the end');
      const s = Buffer.from(buf.subarray(pos, pos + len)).toString('utf8');
      pos += len;
      return s;
    }
    throw new BencodeError(`unexpected byte 0x${c.toString(16)} at ${pos}`);
  };
  const v = value();
  if (pos !== buf.length) throw new BencodeError(`${buf.length - pos} trailing bytes`);
  return v;
}
