/** Placeholder entry while the package is being built out; replaced by the restorer's public surface. */
export {};
