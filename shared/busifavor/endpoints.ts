// Every busifavor endpoint the till, posctl and the simulator know, keyed by stable id.
import type { EndpointDef } from './endpoint';
import { createStock, getStock, modifyBudget, modifyStock } from './stocks';
import { associateOrder, deactivateCoupon, disassociateOrder, getUserCoupon, listUserCoupons, returnCoupon, sendCoupon, useCoupon } from './coupons';
import { deleteCode, getCode, listCodes, uploadCodes } from './codes';
import { getCallbacks, setCallbacks } from './callbacks';
import { createSubsidyPay, createSubsidyReturn, getSubsidyPay, getSubsidyReturn, listSubsidyPay } from './subsidy';
import { uploadImage } from './media';

export const endpoints = {
  'stocks.create': createStock,
  'stocks.get': getStock,
  'coupons.use': useCoupon,
  'userCoupons.list': listUserCoupons,
  'userCoupons.get': getUserCoupon,
  'couponCodes.upload': uploadCodes,
  'couponCodes.list': listCodes,
  'couponCodes.get': getCode,
  'couponCodes.delete': deleteCode,
  'callbacks.set': setCallbacks,
  'callbacks.get': getCallbacks,
  'coupons.associate': associateOrder,
  'coupons.disassociate': disassociateOrder,
  'stocks.budget': modifyBudget,
  'stocks.modify': modifyStock,
  'coupons.return': returnCoupon,
  'coupons.deactivate': deactivateCoupon,
  'subsidy.pay.create': createSubsidyPay,
  'subsidy.pay.get': getSubsidyPay,
  'subsidy.pay.list': listSubsidyPay,
  'subsidy.return.create': createSubsidyReturn,
  'subsidy.return.get': getSubsidyReturn,
  'media.imageUpload': uploadImage,
  'coupons.send': sendCoupon,
} as const;

export type Endpoints = typeof endpoints;
export type EndpointId = keyof Endpoints;

export const endpointList: readonly EndpointDef[] = Object.values(endpoints);

export function getEndpoint<Id extends EndpointId>(id: Id): Endpoints[Id] {
  return endpoints[id];
}
