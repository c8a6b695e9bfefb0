export * from './errors';
export * from './app';
export * from './accounts';
export * from './wall';
export * from './cruise';
export * from './library';
export * from './search';
export * from './channels';
