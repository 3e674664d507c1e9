// The durable queue: journal (SQLite), drainer, pacing and connectivity.
export * from './database';
export * from './migrations';
export * from './operation';
export * from './records';
export * from './journal';
export * from './pacing';
export * from './attempt';
export * from './drain';
export * from './drain-lock';
export * from './group-commit';
export * from './waiters';
export * from './connectivity';
