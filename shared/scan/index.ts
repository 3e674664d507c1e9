export { classifyScan, WECHAT_PAYMENT_CODE, type ScanResult } from './classify';
export { normalizeScan, foldFullWidth, type Normalized } from './normalize';
export { reasons, codePointLabel, type ScanReason, type ScanReasonCode, type IllegalCharacter } from './reasons';
