export * from './app';
export * from './errors';
export * from './events';
export * from './methods';
export * from './names';
export * from './pos-api';
export * from './till';
export * from './manager';
