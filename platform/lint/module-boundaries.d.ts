// Types of module-boundaries.js (plain JavaScript: eslint.config.js loads it without a TypeScript loader).
import type { ESLint } from 'eslint';

export const LIBRARIES: Set<string>;
export function folderOf(file: string): string | null;
export function runtimeImports(text: string): string[];
export function folderGraph(): Map<string, Map<string, string>>;
export function pathBetween(
  graph: Map<string, Map<string, string>>,
  start: string,
  goal: string,
): string[] | null;
declare const plugin: ESLint.Plugin;
export default plugin;
