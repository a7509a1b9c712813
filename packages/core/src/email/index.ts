export * from './email-transport';
