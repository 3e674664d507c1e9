// The typed busifavor client over the shared endpoint table.
export * from './client';
