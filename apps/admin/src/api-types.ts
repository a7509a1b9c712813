/** The admin API's shapes, derived from the router's type so the pages follow the server without copies. */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AdminRouter } from '@restoreclick/api/admin-router';

type Outputs = inferRouterOutputs<AdminRouter>;
type Inputs = inferRouterInputs<AdminRouter>;
/** Inputs with a default may be left out (`void`); the pages always send one. */
type Given<T> = Exclude<T, void | undefined>;

export type AdminUser = NonNullable<Outputs['auth']['me']['user']>;
export type OrderListInput = Given<Inputs['orders']['list']>;
export type OrderSummary = Outputs['orders']['list']['items'][number];
export type OrderStatus = OrderSummary['status'];
export type OrderDetail = Outputs['orders']['get'];
export type OrderImage = OrderDetail['images'][number];
export type RestorationAttempt = OrderImage['attempts'][number];
export type TimelineEntry = OrderDetail['timeline'][number];
export type AutomaticRefund = Outputs['recovery']['automaticRefunds']['refunds'][number];
export type OrderEmail = OrderDetail['emails'][number];
export type EmailListInput = Given<Inputs['emails']['list']>;
export type EmailSummary = Outputs['emails']['list']['items'][number];
export type EmailStatus = EmailSummary['status'];
export type EmailDetail = Outputs['emails']['get'];
export type DependencyCheck = Outputs['operations']['checks'][number];
export type QueueStats = Outputs['operations']['queues'][number];
export type BusinessSummary = Outputs['business']['summary'];
export type PrivacyCustomer = Outputs['privacy']['findCustomer'];
export type CustomerErasure = Outputs['privacy']['eraseCustomer'];
