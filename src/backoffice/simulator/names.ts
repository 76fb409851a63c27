/**
 * Character lists for generated, plausible Chinese names. The simulator's
 * customers, stocks and funds are invented: any resemblance to a real person
 * or listed company is by chance.
 */
import type { SeededRandom } from './seeded-random.ts';

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN_MALE = [...'伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋志建国文博'];
const GIVEN_FEMALE = [...'芳娜敏静丽艳娟霞秀玲桂英萍红燕琳雪慧佳颖倩婷洁晶梅兰云莉丹蕾薇琴'];

export function personName(rng: SeededRandom, gender: 'M' | 'F'): string {
  const pool = gender === 'M' ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.next() < 0.6 ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  return rng.pick(SURNAMES) + given;
}

const STOCK_HEADS = [...'华东南西北中金银宏泰瑞鼎恒盛远安康新丰海天润长江山'];
const STOCK_TAILS = [...'达通信源和光科创联兴隆成发博阳明辰诚星汇'];
const STOCK_INDUSTRIES = ['科技', '股份', '电子', '药业', '能源', '重工', '食品', '传媒', '智能', '材料', '环保', '化工', '电气', '建设', '物流', '医疗', '软件', '汽车', '农业', '证券'];

/** A four-character listed-company short name, unique within `taken`. */
export function stockName(rng: SeededRandom, taken: Set<string>): string {
  for (;;) {
    const name = rng.pick(STOCK_HEADS) + rng.pick(STOCK_TAILS) + rng.pick(STOCK_INDUSTRIES);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

const FUND_STYLES = ['成长混合', '价值精选', '稳健债券', '沪深300指数', '中证500指数', '货币A', '消费主题', '新能源股票', '医疗健康', '红利优选'];

export function fundName(rng: SeededRandom, taken: Set<string>): string {
  for (;;) {
    const name = rng.pick(STOCK_HEADS) + rng.pick(STOCK_TAILS) + rng.pick(FUND_STYLES);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

export const BRANCHES = [
  { code: '0101', name: '上海浦东南路营业部' },
  { code: '0102', name: '上海淮海中路营业部' },
  { code: '0201', name: '深圳福华路营业部' },
  { code: '0301', name: '北京金融街营业部' },
  { code: '0401', name: '广州天河路营业部' },
  { code: '0501', name: '杭州庆春路营业部' },
] as const;
