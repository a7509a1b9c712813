/** Customers: created by the API or by a completed checkout (Stripe's `customer_creation: 'always'`). */
import type { AccountContext } from './context';
import type { EventOrigin } from './events';
import { LIST_PARAMS, paginate } from './list';
import { type CustomerObject, type ListObject, newId, nowSeconds } from './objects';
import type { FormParams } from './params';

export function createCustomer(
  context: AccountContext,
  input: {
    email: string | null;
    name: string | null;
    phone?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
  },
  origin: EventOrigin,
): CustomerObject {
  const customer: CustomerObject = {
    id: newId('cus', 14),
    object: 'customer',
    balance: 0,
    created: nowSeconds(),
    description: input.description ?? null,
    email: input.email,
    livemode: false,
    metadata: input.metadata ?? {},
    name: input.name,
    phone: input.phone ?? null,
  };
  context.store.customers.add(customer);
  context.events.emit('customer.created', customer, origin);
  return customer;
}

export function createCustomerFromParams(
  context: AccountContext,
  params: FormParams,
  origin: EventOrigin,
): CustomerObject {
  params.allowOnly(['email', 'name', 'phone', 'description', 'metadata', 'expand']);
  return createCustomer(
    context,
    {
      email: params.string('email') ?? null,
      name: params.string('name') ?? null,
      phone: params.string('phone') ?? null,
      description: params.string('description') ?? null,
      metadata: params.metadata(),
    },
    origin,
  );
}

export function listCustomers(
  context: AccountContext,
  params: FormParams,
): ListObject<CustomerObject> {
  params.allowOnly([...LIST_PARAMS, 'email']);
  const email = params.string('email');
  const customers = context.store.customers
    .all()
    .filter((customer) => email === undefined || customer.email === email);
  return paginate(customers, params, {
    url: '/v1/customers',
    objectName: 'customer',
    idOf: (customer) => customer.id,
    createdOf: (customer) => customer.created,
  });
}
