export * from './errors';
export * from './app';
export * from './accounts';
export * from './channels';
