/**
 * CRM-3: the business categories an agent picks in the wrap-up form (业务类别).
 * A configurable list (supervisors edit it over the API; kept in the
 * database's `meta` table under CATEGORIES_KEY) with defaults for a
 * securities, fund and bank service line, named in Chinese and English.
 * The seeds' three families (投诉类, 委托类, 咨询类) are all present.
 */
import { z } from 'zod';

export interface WrapupCategory {
  /** Stable id stored in the record: lower-case letters, digits and dashes. */
  id: string;
  zh: string;
  en: string;
}

export const CATEGORIES_KEY = 'crm.wrap-up-categories';

export const DEFAULT_CATEGORIES: readonly WrapupCategory[] = [
  { id: 'account-inquiry', zh: '账户查询', en: 'Account inquiry' },
  { id: 'trading', zh: '委托交易', en: 'Trading (orders)' },
  { id: 'transfer', zh: '银证转账', en: 'Bank-securities transfer' },
  { id: 'fund', zh: '基金业务', en: 'Fund purchase / redemption' },
  { id: 'bank-card', zh: '银行卡业务', en: 'Bank card service' },
  { id: 'market-info', zh: '行情资讯', en: 'Market information' },
  { id: 'account-service', zh: '开户与资料变更', en: 'Account opening / details change' },
  { id: 'password-unlock', zh: '密码与解锁', en: 'Password / unlock' },
  { id: 'complaint', zh: '投诉', en: 'Complaint' },
  { id: 'suggestion', zh: '建议', en: 'Suggestion' },
  { id: 'other', zh: '其他', en: 'Other' },
];

export const WrapupCategorySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lower-case letters, digits and dashes, at most 48'),
    zh: z.string().trim().min(1).max(40),
    en: z.string().trim().min(1).max(60),
  })
  .strict()
  .meta({ id: 'WrapupCategory' });

export const WrapupCategoryList = z
  .array(WrapupCategorySchema)
  .min(1)
  .max(50)
  .refine((l) => new Set(l.map((c) => c.id)).size === l.length, 'category ids must be unique');

export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** The list in force: the stored one when valid, else the defaults. */
export async function loadCategories(settings: SettingsStore): Promise<{ categories: WrapupCategory[]; isDefault: boolean }> {
  const raw = await settings.get(CATEGORIES_KEY);
  if (raw !== undefined) {
    try {
      const parsed = WrapupCategoryList.safeParse(JSON.parse(raw));
      if (parsed.success) return { categories: parsed.data, isDefault: false };
    } catch {
      // a broken value falls back to the defaults
    }
  }
  return { categories: DEFAULT_CATEGORIES.map((c) => ({ ...c })), isDefault: true };
}

export async function saveCategories(settings: SettingsStore, list: readonly WrapupCategory[]): Promise<void> {
  await settings.set(CATEGORIES_KEY, JSON.stringify(list));
}
