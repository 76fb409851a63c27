/**
 * Zod schemas of the data crossing the BackOffice port (SEC-1, SEC-7, SEC-8,
 * CRM-1), as the HTTP contract carries it: money in integer fen, instants ISO
 * UTC, business dates YYYYMMDD. contract.ts builds the routes from these.
 */
import { z } from 'zod';

export const fen = z.number().int().meta({ description: 'Integer fen (0.01 CNY).' });
export const yyyymmdd = z.string().regex(/^\d{8}$/).meta({ description: 'Beijing business date YYYYMMDD.' });
export const isoInstant = z.string().meta({ description: 'ISO 8601 UTC instant.' });
const market = z.enum(['SH', 'SZ']);

export const Session = z.object({
  token: z.string(), kind: z.enum(['securities', 'fund', 'bank']), customerId: z.string(),
  customerName: z.string(), account: z.string(), issuedAt: isoInstant,
}).meta({ id: 'Session' });

export const CustomerProfile = z.object({
  customerId: z.string(), name: z.string(), gender: z.enum(['M', 'F']),
  branch: z.object({ code: z.string(), name: z.string() }),
  phones: z.array(z.string()), email: z.string().optional(), idNumberMasked: z.string(),
  riskLevel: z.enum(['C1', 'C2', 'C3', 'C4', 'C5']), fundAccounts: z.array(z.string()),
  cardNumbers: z.array(z.string()), openedOn: yyyymmdd,
}).meta({ id: 'CustomerProfile' });

export const ShareholderAccount = z.object({ id: z.string(), market, index: z.number().int() }).meta({ id: 'ShareholderAccount' });

export const CustomerOverview = z.object({
  profile: CustomerProfile,
  customerClass: z.enum(['standard', 'gold', 'vip']),
  fundAccounts: z.array(z.object({
    fundAccount: z.string(), status: z.enum(['normal', 'locked']), shareholderAccounts: z.array(ShareholderAccount),
    openOrders: z.number().int(), fundRequestsInProgress: z.number().int(),
  })),
  cards: z.array(z.object({ cardNumber: z.string(), status: z.enum(['normal', 'locked', 'lost']) })),
  birthday: z.string().regex(/^\d{4}$/).optional().meta({ description: 'Month and day of birth, MMDD.' }),
}).meta({ id: 'CustomerOverview' });

export const Balance = z.object({
  currency: z.literal('CNY'), available: fen, frozen: fen, cash: fen, marketValue: fen, totalAssets: fen,
}).meta({ id: 'Balance' });

export const Position = z.object({
  shareholderAccount: z.string(), code: z.string(), name: z.string(), quantity: z.number().int(),
  available: z.number().int(), costPrice: fen, lastPrice: fen, marketValue: fen,
}).meta({ id: 'Position' });

export const Quote = z.object({
  code: z.string(), name: z.string(), market, tradingDay: yyyymmdd, last: fen, open: fen, high: fen, low: fen,
  previousClose: fen, limitUp: fen, limitDown: fen, volume: z.number().int(), at: isoInstant,
}).meta({ id: 'Quote' });

export const OrderRequest = z.object({
  side: z.enum(['buy', 'sell']), code: z.string(), limitPrice: fen, quantity: z.number().int(),
  shareholderAccount: z.string().optional(),
}).meta({ id: 'OrderRequest' });

export const Order = z.object({
  orderId: z.string(), shareholderAccount: z.string(), side: z.enum(['buy', 'sell']), code: z.string(), name: z.string(),
  limitPrice: fen, quantity: z.number().int(), filledQuantity: z.number().int(), averageFillPrice: fen,
  status: z.enum(['pending', 'partially-filled', 'filled', 'cancelled', 'rejected']), reason: z.string().optional(),
  placedAt: isoInstant, updatedAt: isoInstant,
}).meta({ id: 'Order' });

export const BankSecuritiesTransferRequest = z.object({
  direction: z.enum(['bank-to-securities', 'securities-to-bank']), amount: fen, bankPassword: z.string().optional(),
}).meta({ id: 'BankSecuritiesTransferRequest' });

export const TransferReceipt = z.object({ transferId: z.string(), amount: fen, at: isoInstant, balanceAfter: fen }).meta({ id: 'TransferReceipt' });

export const StatementEntry = z.object({
  date: yyyymmdd, at: isoInstant, kind: z.enum(['buy', 'sell', 'transfer-in', 'transfer-out', 'dividend', 'interest']),
  amount: fen, balanceAfter: fen, code: z.string().optional(), name: z.string().optional(),
  quantity: z.number().int().optional(), price: fen.optional(), description: z.string(),
}).meta({ id: 'StatementEntry' });

export const FundNav = z.object({
  fundCode: z.string(), name: z.string(), date: yyyymmdd, navMilli4: z.number().int(),
  accumulatedNavMilli4: z.number().int(), dayChangeBp: z.number().int(),
}).meta({ id: 'FundNav' });

export const FundHolding = z.object({
  fundCode: z.string(), name: z.string(), units: z.number().int(), navMilli4: z.number().int(), marketValue: fen,
}).meta({ id: 'FundHolding' });

export const FundRequest = z.object({
  requestId: z.string(), kind: z.enum(['purchase', 'redemption']), fundCode: z.string(), name: z.string(),
  amount: fen, units: z.number().int(), status: z.enum(['submitted', 'confirmed', 'paid', 'failed']),
  submittedAt: isoInstant, tradeDate: yyyymmdd, expectedCompletion: yyyymmdd,
}).meta({ id: 'FundRequest' });

export const BankAccount = z.object({
  accountId: z.string(), type: z.enum(['current', 'savings', 'credit']), balance: fen, available: fen,
}).meta({ id: 'BankAccount' });

export const BankTransaction = z.object({
  transactionId: z.string(), accountId: z.string(), date: yyyymmdd, at: isoInstant,
  kind: z.enum(['deposit', 'withdrawal', 'salary', 'purchase', 'transfer-in', 'transfer-out', 'bill-payment', 'interest']),
  amount: fen, balanceAfter: fen, description: z.string(),
}).meta({ id: 'BankTransaction' });

export const OwnTransferRequest = z.object({ fromAccount: z.string(), toAccount: z.string(), amount: fen }).meta({ id: 'OwnTransferRequest' });

export const BillPaymentRequest = z.object({
  fromAccount: z.string(), payee: z.enum(['electricity', 'water', 'gas', 'telephone', 'mobile']),
  billNumber: z.string(), amount: fen,
}).meta({ id: 'BillPaymentRequest' });

export const CardLossReceipt = z.object({ cardNumber: z.string(), reportedAt: isoInstant }).meta({ id: 'CardLossReceipt' });

export const ErrorBody = z.object({
  code: z.string(), message: z.string(),
  details: z.object({
    attemptsLeft: z.number().int().optional(), limitDown: fen.optional(), limitUp: fen.optional(), available: z.number().int().optional(),
  }),
}).meta({ id: 'BackOfficeError' });
