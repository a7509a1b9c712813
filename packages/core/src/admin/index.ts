/** The admin dashboard's services: sign-in, the order and email lists, actions with their audit trail, operations. */
export * from './passwords';
export * from './audit-log';
export * from './admin-auth';
export * from './admin-order-list';
export * from './admin-order-detail';
export * from './admin-timeline';
export * from './admin-order-actions';
export * from './manual-transitions';
export * from './order-statuses';
export * from './refund-order';
export * from './resend-email-message';
export * from './retry-failed-photos';
export * from './admin-emails';
export * from './operations';
export * from './business';
export * from './time-zones';
export { escapeLike, isOrderNumberSearch } from './list-queries';
