export * from './project-summary';
export * from './query';
export * from './list-cache';
export * from './project-catalog';
