// The WeChat Pay APIv3 protocol core (pure Node, no Electron): one import for the busifavor
// client, the simulator and posctl.
export * from './errors';
export * from './sign';
export * from './verify';
export * from './aead';
export * from './oaep';
export * from './keys';
export * from './apiv2';
export * from './upload';
export * from './certificates';
export * from './notification';
export * from './http';
