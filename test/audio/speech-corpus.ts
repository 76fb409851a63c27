// Speech for talk-off tests: varied Mandarin and English sentences rendered
// by espeak-ng at several speeds and pitches, resampled to 8 kHz.
import { execFileSync } from 'node:child_process';
import { resample } from '../../src/media/wav/resampler.ts';
import { readWav } from '../../src/media/wav/wav-reader.ts';

const MANDARIN = [
  '您好，欢迎致电证券客户服务热线，请输入您的资金账号，以井号键结束。',
  '查询基金净值请按一，申购赎回请按二，转人工服务请按零。',
  '您的账户余额为三万六千八百二十五元四角，可用资金为一万二千元。',
  '今天上证指数上涨百分之一点二，深证成指下跌百分之零点五。',
  '为了您的资金安全，请不要向任何人透露您的交易密码和验证码。',
  '感谢您的耐心等待，坐席人员正忙，请稍候，我们将尽快为您服务。',
];
const ENGLISH = [
  'Welcome to the customer service hotline. Please enter your account number followed by the pound key.',
  'For fund prices press one, for subscriptions and redemptions press two, to speak to an agent press zero.',
  'Your available balance is thirty six thousand eight hundred and twenty five dollars and forty cents.',
  'The market closed higher today as technology shares rallied for the third consecutive session.',
  'Please hold while we transfer your call. Your call is important to us and may be recorded.',
  'Seven, eight, nine, four, five, six, one, two, three, star, zero, hash. Thank you very much.',
];

/** About `seconds` of speech at 8 kHz, cycling voices, speeds and pitches. */
export function speech(seconds: number): Int16Array {
  const parts: Int16Array[] = [];
  let total = 0;
  let k = 0;
  while (total < seconds * 8000) {
    const english = k % 2 === 1;
    const list = english ? ENGLISH : MANDARIN;
    const text = list[Math.floor(k / 2) % list.length]!;
    const speed = 130 + ((k * 37) % 90);
    const pitch = 20 + ((k * 29) % 70);
    const voice = english ? (k % 4 === 1 ? 'en' : 'en+f3') : k % 4 === 0 ? 'cmn' : 'cmn+f2';
    const wav = readWav(execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '--stdout', text], { maxBuffer: 64 << 20 }));
    const pcm = resample(wav.channels[0]!, wav.sampleRate, 8000);
    parts.push(pcm);
    total += pcm.length;
    k++;
  }
  const out = new Int16Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
