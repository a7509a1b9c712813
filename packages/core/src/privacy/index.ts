/** Privacy and the photos' lifecycle: retention and the daily purge, deletion by the customer, erasure and export by admins, and files that leave us without their metadata. */
export * from './retention';
export * from './photo-deletion-rules';
export * from './photo-files';
export * from './purge-expired-photos';
export * from './delete-order-photos';
export * from './find-customer';
export * from './erase-customer';
export * from './export-customer-data';
export * from './personal-fields';
export { reencodeWithoutMetadata, type MetadataFreeImage } from './image-metadata';
export { deliveryCopyOf, deliveryStreamOf } from './delivery-copy';
export { MalformedImageError } from './metadata-filter';
