export * from './restoration-provider';
