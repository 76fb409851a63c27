/**
 * Wire shapes of the screen-pop and wrap-up routes (src/api/routes/crm-routes.ts;
 * CTI-6, CRM-1, CRM-3, CRM-5), as the desktop reads them.
 */
export interface ShareholderAccount {
  id: string;
  market: 'SH' | 'SZ';
  index: number;
}

export interface CustomerOverview {
  profile: {
    customerId: string;
    name: string;
    gender: 'M' | 'F';
    branch: { code: string; name: string };
    phones: string[];
    email?: string;
    idNumberMasked: string;
    riskLevel: string;
    fundAccounts: string[];
    cardNumbers: string[];
    openedOn: string;
  };
  customerClass: 'standard' | 'gold' | 'vip';
  fundAccounts: { fundAccount: string; status: 'normal' | 'locked'; shareholderAccounts: ShareholderAccount[]; openOrders: number; fundRequestsInProgress: number }[];
  cards: { cardNumber: string; status: 'normal' | 'locked' | 'lost' }[];
  birthday?: string;
}

export type ReminderKind = 'account-locked' | 'card-lost' | 'card-locked' | 'open-orders' | 'fund-requests' | 'birthday';
export interface Reminder {
  kind: ReminderKind;
  account?: string;
  count?: number;
  inDays?: number;
}

export type SelfEvaluation = 'good' | 'fair' | 'poor';

export interface ContactLog {
  agentId: string;
  at: string;
  category: string;
  selfEvaluation: SelfEvaluation;
  summary: string;
  customer?: { account?: string; name?: string; branchName?: string };
}

export interface PastCall {
  id: string;
  startedAt: string;
  endedAt?: string;
  talkMs: number;
  status: 'live' | 'ended';
  disposition?: string;
  agents: string[];
  contacts: ContactLog[];
}

export interface ScreenPopData {
  interactionId: string;
  caller: string;
  history: { total: number; today: number; talkMs: number; items: PastCall[] };
  customer?: { account: string; kind?: string; overview?: CustomerOverview; reminders: Reminder[]; error?: string };
}

export interface WrapupCategory {
  id: string;
  zh: string;
  en: string;
}

export interface WrapupResult {
  contact: ContactLog;
  wrapUpEnded: boolean;
}
