// Kept for the slices that import the Loader type from here.
export type { Loader } from './loaders.js';
