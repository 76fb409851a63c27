import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../shared/logger.ts';
import { ScriptedChannel, type CallerAction } from '../../channel/scripted-channel.ts';
import { IvrRunner } from '../../ivr-runner.ts';
import { planPrompt, planText } from '../../prompt/prompt-plan.ts';
import { demoPassword } from '../demo-callers.ts';

const MAIN = pathToFileURL(join(import.meta.dirname, 'main.vxml')).href;
const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };

/** What the caller hears, as the TTS is given it: prompts planned for a channel whose own locale is en-US (the document's xml:lang must win). */
async function call(script: CallerAction[]) {
  const ch = new ScriptedChannel(script);
  const outcome = await new IvrRunner({ logger }).run(MAIN, ch);
  const heard = ch.transcript.flatMap((e) => (e.kind === 'prompt' ? [planPrompt(e.segments, 'en-US')] : []));
  return { outcome, ch, heard };
}

describe('zh-CN demo fund hotline: Chinese voice and readings - IVR-1, IVR-3, IVR-4', () => {
  it('balance read in Chinese yuan/jiao/fen, every prompt in the cmn voice, then an agent with the account', async () => {
    const { outcome, ch, heard } = await call([{ keys: '1' }, { keys: '12345678' }, { keys: demoPassword('12345678') }, { keys: '2' }]);
    expect(outcome).toEqual({ kind: 'exit', value: 'agent far_end_disconnect' });
    expect(heard.flat().every((p) => p.kind !== 'speech' || p.locale === 'zh-CN')).toBe(true);
    expect(heard.map(planText)).toEqual([
      '您好，欢迎致电热线基金客服。查询资产请按1，基金净值请按2，人工服务请按星号键。',
      '请输入您的八位基金账号。',
      '请输入六位交易密码。',
      '您的资产总值为二万七千零二十元三角六分。成长基金一千五百七十七元六角九分。债券基金五千四百四十二元六角七分。货币基金二万元整。返回主菜单请按1，人工服务请按2。',
      '请稍候，正在为您接通坐席。',
    ]);
    expect(ch.transcript.find((e) => e.kind === 'transfer')).toMatchObject({ request: { type: 'bridge', dest: 'queue:funds', aai: 'account=12345678' } });
  });

  it('prices read as decimals; * goes to an agent anonymously', async () => {
    const { outcome, ch, heard } = await call([{ keys: '2' }, { keys: '*' }]);
    expect(outcome).toEqual({ kind: 'exit', value: 'agent far_end_disconnect' });
    expect(planText(heard[1]!)).toBe('成长基金净值一点二三四五，债券基金净值一点零三一二。查询资产请按1，基金净值请按2，人工服务请按星号键。');
    expect(planText(heard[2]!)).toBe('正在为您转接人工服务。请稍候，正在为您接通坐席。');
    expect(ch.transcript.find((e) => e.kind === 'transfer')).toMatchObject({ request: { aai: 'anonymous' } });
  });
});
