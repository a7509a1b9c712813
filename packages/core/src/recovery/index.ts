/** Failure recovery that needs no customer to ask: the stuck-order sweeper. */
export * from './sweep-stuck-orders';
