// Speech for talk-off tests: varied Mandarin and English sentences rendered
// by espeak-ng at several speeds and pitches, resampled to 8 kHz. `speech`
// is the corpus the in-band detector's thresholds were tuned on;
// `heldOutSpeech` has other sentences, voices, variants and a wider pitch
// range, and goes through G.711 as a call does; it was written after the
// tuning (2026-12-07) and is never to be used to tune, so that it stays an
// independent check.
import { execFileSync } from 'node:child_process';
import { resample } from '../../src/media/wav/resampler.ts';
import { readWav } from '../../src/media/wav/wav-reader.ts';
import { g711Decode, g711Encode } from '../../src/media/codec/g711.ts';

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

interface Utterance {
  voice: string;
  speed: number;
  pitch: number;
  text: string;
}

/** Utterances `next(0)`, `next(1)`, ... rendered by espeak-ng at 8 kHz (each through `after`), until `seconds` are there. */
function render(seconds: number, next: (k: number) => Utterance, after: (pcm: Int16Array) => Int16Array = (pcm) => pcm): Int16Array {
  const parts: Int16Array[] = [];
  let total = 0;
  for (let k = 0; total < seconds * 8000; k++) {
    const u = next(k);
    const wav = readWav(execFileSync('espeak-ng', ['-v', u.voice, '-s', String(u.speed), '-p', String(u.pitch), '--stdout', u.text], { maxBuffer: 64 << 20 }));
    const pcm = after(resample(wav.channels[0]!, wav.sampleRate, 8000));
    parts.push(pcm);
    total += pcm.length;
  }
  const out = new Int16Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** About `seconds` of speech at 8 kHz, cycling voices, speeds and pitches. */
export function speech(seconds: number): Int16Array {
  return render(seconds, (k) => {
    const english = k % 2 === 1;
    const list = english ? ENGLISH : MANDARIN;
    return {
      text: list[Math.floor(k / 2) % list.length]!,
      speed: 130 + ((k * 37) % 90),
      pitch: 20 + ((k * 29) % 70),
      voice: english ? (k % 4 === 1 ? 'en' : 'en+f3') : k % 4 === 0 ? 'cmn' : 'cmn+f2',
    };
  });
}

const HELD_OUT_MANDARIN = [
  '尊敬的客户，您委托买入的股票已经全部成交，成交均价为十八元六角七分。',
  '本基金过往业绩不代表未来表现，投资有风险，请您根据自身情况谨慎选择。',
  '您的银证转账申请已受理，资金预计在下一个交易日上午九点前到账。',
  '如需挂失银行卡，请说出或输入卡号，我们将立即为您冻结账户。',
  '融资融券业务的维持担保比例低于一百三十时，系统将向您发送追加担保通知。',
  '啊，哦，嗯，好的好的，没问题，我再确认一下，稍等，喂喂，您还在吗？',
];
const HELD_OUT_ENGLISH = [
  'Your order to sell two hundred shares at fourteen dollars and five cents has been filled.',
  'Past performance is no guarantee of future results; please read the prospectus carefully.',
  'Hmm, oh, okay, yes, yes, I see, one moment please, hello, hello, are you still there?',
  'Transfers between your bank and brokerage accounts usually settle by nine in the morning.',
  'Weeeell, I really, really need this sorted out today, it is urgent, you know what I mean?',
  'Nine nine nine, eight eight eight, seven seven seven, oh oh oh, please confirm, thank you.',
];
const HELD_OUT_VOICES = { mandarin: ['cmn+m1', 'cmn+f4', 'cmn+klatt2', 'cmn+m7', 'cmn+f1'], english: ['en-us', 'en-gb-scotland+f2', 'en-029+m4', 'en-us+f5', 'en+klatt4', 'en-gb-x-rp+m2'] };

/**
 * About `seconds` of held-out speech at 8 kHz through a PCMU round trip
 * (what a leg's in-band detector hears from a G.711 call): other sentences,
 * voices and variants than `speech`, speeds 110-260 words a minute, pitch
 * 0-99. Never tune on it.
 */
export function heldOutSpeech(seconds: number): Int16Array {
  return render(
    seconds,
    (k) => {
      const english = k % 2 === 1;
      const list = english ? HELD_OUT_ENGLISH : HELD_OUT_MANDARIN;
      const voices = english ? HELD_OUT_VOICES.english : HELD_OUT_VOICES.mandarin;
      return {
        text: list[Math.floor(k / 2) % list.length]!,
        voice: voices[(Math.floor(k / 2) + Math.floor(k / (2 * list.length))) % voices.length]!,
        speed: 110 + ((k * 53) % 151),
        pitch: (k * 41) % 100,
      };
    },
    (pcm) => g711Decode('PCMU', g711Encode('PCMU', pcm), new Int16Array(pcm.length)),
  );
}
