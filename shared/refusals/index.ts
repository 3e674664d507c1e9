export * from './refusal';
export { couponStateEnglish, describeRefusal, refusalEnglish } from './english';
