export * from './create-checkout';
export * from './confirm-checkout';
