import { describe, expect, it } from 'vitest';
import { ConnectionTable, nextConnectionId, type TableEntry } from './connection-table.ts';

const conn = (id: string, address: string, port: number, inbound = true): TableEntry => ({ id, remote: { address, port }, inbound });

describe('ConnectionTable (TEL-2, OPS-2)', () => {
  it('finds connections by id and by remote endpoint in any address spelling', () => {
    const t = new ConnectionTable({ maxConnections: 10, maxConnectionsPerSource: 10 });
    const a = conn('a', '::ffff:10.0.0.1', 5060);
    t.add(a);
    expect(t.get('a')).toBe(a);
    expect(t.find({ address: '10.0.0.1', port: 5060 })).toBe(a);
    expect(t.find({ address: '10.0.0.1', port: 5061 })).toBeUndefined();
    t.alias(a, { address: 'trunk.example.com', port: 5061 });
    expect(t.find({ address: 'TRUNK.example.com', port: 5061 })).toBe(a);
    t.remove(a);
    expect(t.size).toBe(0);
    expect(t.find({ address: 'trunk.example.com', port: 5061 })).toBeUndefined();
  });

  it('removing an older connection to the same remote keeps the newer mapping', () => {
    const t = new ConnectionTable({ maxConnections: 10, maxConnectionsPerSource: 10 });
    const old = conn('old', '10.0.0.1', 5060);
    const fresh = conn('new', '10.0.0.1', 5060);
    t.add(old);
    t.add(fresh);
    t.remove(old);
    expect(t.find({ address: '10.0.0.1', port: 5060 })).toBe(fresh);
    t.remove(old);
    expect(t.size).toBe(1);
  });

  it('limits inbound connections per source and all connections in total', () => {
    const t = new ConnectionTable({ maxConnections: 3, maxConnectionsPerSource: 2 });
    t.add(conn('1', '10.0.0.1', 1));
    expect(t.admit('10.0.0.1')).toBe('ok');
    t.add(conn('2', '10.0.0.1', 2));
    expect(t.admit('::ffff:10.0.0.1')).toBe('source-limit');
    expect(t.admit('10.0.0.1', false)).toBe('ok');
    expect(t.admit('10.0.0.2')).toBe('ok');
    t.add(conn('3', '10.0.0.9', 5061, false));
    expect(t.admit('10.0.0.2')).toBe('total-limit');
    t.remove(t.get('1')!);
    expect(t.admit('10.0.0.1')).toBe('ok');
  });

  it('makes process-unique ids', () => {
    const ids = new Set(Array.from({ length: 100 }, () => nextConnectionId('tcp')));
    expect(ids.size).toBe(100);
  });
});
