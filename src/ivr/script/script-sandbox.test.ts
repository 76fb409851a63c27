import { afterEach, describe, expect, it } from 'vitest';
import { ScriptError } from './script-error.ts';
import { ScriptSandbox } from './script-sandbox.ts';

const open: ScriptSandbox[] = [];
async function sandbox(limits: Parameters<typeof ScriptSandbox.create>[0] = {}): Promise<ScriptSandbox> {
  const sb = await ScriptSandbox.create(limits);
  open.push(sb);
  return sb;
}
afterEach(() => {
  for (const sb of open.splice(0)) sb.dispose();
});

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ScriptError) return e.code;
    throw e;
  }
  return 'none';
}

describe('IVR-1 script sandbox: compiled expressions are cached per session', () => {
  it('a cached expression sees a scope reset and a new value of the same name', async () => {
    const sb = await sandbox();
    sb.put('x', 'dialog', 2);
    expect(sb.eval('x * 10')).toBe(20);
    sb.resetScope('dialog');
    expect(codeOf(() => sb.eval('x * 10'))).toBe('runtime');
    sb.put('x', 'dialog', 3);
    expect(sb.eval('x * 10')).toBe(30);
    sb.declare('x', 'anonymous', "'inner'");
    expect(sb.evalString('x * 10')).toBe('NaN');
  });

  it.each([
    ['syntax error', '1 +', 'syntax'],
    ['undeclared variable', 'nope + 1', 'runtime'],
  ])('%s keeps its error code when evaluated twice', async (_n, expr, code) => {
    const sb = await sandbox();
    expect(codeOf(() => sb.eval(expr))).toBe(code);
    expect(codeOf(() => sb.eval(expr))).toBe(code);
  });

  it('the time limit still stops a cached expression, and the sandbox stays usable', async () => {
    const sb = await sandbox({ timeLimitMs: 30 });
    sb.put('n', 'document', 0);
    expect(codeOf(() => sb.evalBool('(function(){ while (true) {} })()'))).toBe('timeout');
    expect(codeOf(() => sb.evalBool('(function(){ while (true) {} })()'))).toBe('timeout');
    expect(sb.evalBool('n === 0')).toBe(true);
  });

  it('assign through a cached body writes the innermost declaration', async () => {
    const sb = await sandbox();
    sb.declare('v', 'document', '1');
    sb.declare('v', 'anonymous', '2');
    sb.assign('v', 'v + 40');
    sb.assign('v', 'v + 40');
    expect(sb.eval('v')).toBe(82);
    sb.resetScope('anonymous');
    expect(sb.eval('v')).toBe(1);
  });
});

describe('IVR-1 script sandbox: foreach arrays', () => {
  it('walks nested arrays element by element and drops them at the end', async () => {
    const sb = await sandbox();
    sb.declare('outer', 'dialog');
    sb.declare('inner', 'dialog');
    sb.declare('seen', 'dialog', "''");
    const n = sb.foreachBegin('[[1, 2], [3]]');
    expect(n).toBe(2);
    for (let i = 0; i < 2; i++) {
      sb.foreachNext('outer');
      const m = Number(sb.foreachBegin('outer'));
      for (let j = 0; j < m; j++) {
        sb.foreachNext('inner');
        sb.assign('seen', 'seen + inner');
      }
      sb.foreachEnd();
    }
    sb.foreachEnd();
    expect(sb.eval('seen')).toBe('123');
    expect(sb.eval('__hl.tmp.length + __hl.idx.length')).toBe(0);
  });

  it('an undefined array fails without leaving anything pushed', async () => {
    const sb = await sandbox();
    sb.declare('u', 'dialog');
    expect(codeOf(() => sb.foreachBegin('u'))).toBe('runtime');
    expect(sb.eval('__hl.tmp.length')).toBe(0);
  });
});
