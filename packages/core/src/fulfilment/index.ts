export { fulfilOrder, type FulfilmentDeps, type FulfilmentOutcome } from './fulfil-order';
