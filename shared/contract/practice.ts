import { z } from 'zod';
import { StockView } from './till';

// The practice sheet: in training, the practice customers' coupons as codes to scan, each with
// what it shows a new cashier. Picked afresh each time from coupons the simulator still has in
// the state the lesson needs (a practice full-off coupon once redeemed is no longer one).

export const PracticeLesson = z.enum(['full_off', 'discount', 'exchange', 'used', 'expired', 'below_threshold']);
export type PracticeLesson = z.infer<typeof PracticeLesson>;

export const PracticeCoupon = z.object({ lesson: PracticeLesson, code: z.string(), stock: StockView });
export type PracticeCoupon = z.infer<typeof PracticeCoupon>;

export const PracticeSheet = z.object({ coupons: z.array(PracticeCoupon) });
export type PracticeSheet = z.infer<typeof PracticeSheet>;
