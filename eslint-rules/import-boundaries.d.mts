// Types of import-boundaries.mjs for the TypeScript test that exercises it.
import type { ESLint, Linter } from 'eslint';

export const LAYERS: Record<string, { may: string[]; why: string }>;
export const EXCEPTIONS: Array<{ file: string; target: string; why: string }>;
export function boundaryProblem(file: string, specifier: string): string | undefined;
export const boundariesPlugin: ESLint.Plugin;
export const boundariesConfig: Linter.Config;
