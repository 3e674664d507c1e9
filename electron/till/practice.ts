// The practice sheet's coupons: from the training simulator's seeded customers, one per lesson,
// each still in the state its lesson needs. A coupon this till has already worked on (any
// operation in its journal) or that WeChat Pay — here the simulator — last reported otherwise
// is passed over, so a sheet printed after a morning's practice still shows usable coupons.
import { PosError, type PracticeCoupon, type PracticeLesson } from '../../shared/contract';
import { stockView } from '../pos';
import type { TillRuntime } from './runtime';

interface SeedCoupon {
  coupon_code: string;
  stock_id: string;
  stock_type: 'NORMAL' | 'DISCOUNT' | 'EXCHANGE';
}
interface Seed {
  coupons: Record<'SENDED' | 'USED' | 'EXPIRED', SeedCoupon[]>;
  associated?: SeedCoupon[];
}

const LESSONS: { lesson: PracticeLesson; from: 'SENDED' | 'USED' | 'EXPIRED'; type?: SeedCoupon['stock_type']; threshold?: true }[] = [
  { lesson: 'full_off', from: 'SENDED', type: 'NORMAL' },
  { lesson: 'discount', from: 'SENDED', type: 'DISCOUNT' },
  { lesson: 'exchange', from: 'SENDED', type: 'EXCHANGE' },
  { lesson: 'below_threshold', from: 'SENDED', type: 'NORMAL', threshold: true },
  { lesson: 'used', from: 'USED' },
  { lesson: 'expired', from: 'EXPIRED' },
];

export function practiceSheet(rt: TillRuntime): { coupons: PracticeCoupon[] } {
  if (rt.mode !== 'training' || !rt.simulator) throw new PosError('STATE_CONFLICT', 'practice coupons exist only in training');
  const seed = rt.simulator.credentials.seed as Seed;
  const linked = new Set((seed.associated ?? []).map((c) => c.coupon_code));
  const taken = new Set<string>();
  const untouched = (c: SeedCoupon, state: string) => {
    if (taken.has(c.coupon_code) || linked.has(c.coupon_code)) return false;
    if (rt.pos.journal.list({ couponCode: c.coupon_code }).length > 0) return false;
    const known = rt.pos.directory.get(c.coupon_code, c.stock_id)?.couponState;
    return !known || known === state;
  };
  const coupons: PracticeCoupon[] = [];
  for (const l of LESSONS) {
    const pick = seed.coupons[l.from].find((c) => {
      if (l.type && c.stock_type !== l.type) return false;
      const stock = rt.pos.stocks.peek(c.stock_id);
      if (!stock || (l.threshold && stockView(stock.stock).transactionMinimumFen === 0)) return false;
      return untouched(c, l.from);
    });
    if (!pick) continue;
    taken.add(pick.coupon_code);
    coupons.push({ lesson: l.lesson, code: pick.coupon_code, stock: stockView(rt.pos.stocks.peek(pick.stock_id)!.stock) });
  }
  return { coupons };
}
