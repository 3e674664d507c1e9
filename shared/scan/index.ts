export { classifyScan, WECHAT_PAYMENT_CODE, type ClassifiedScan } from './classify';
export { normalizeScan, foldFullWidth, type Normalized } from './normalize';
export { reasons, codePointLabel, type IllegalCharacter } from './reasons';
